package io.tokengate.cli;

/** {@code --output}: a table for people, or JSON with stable field names for tooling. */
enum OutputFormat { text, json }

package io.tokengate.store;

/** One versioned schema change: {@code db/migration/V<version>__<name>.sql}. */
record Migration(int version, String name, String sql, String checksum) {
}

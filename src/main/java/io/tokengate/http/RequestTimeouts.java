package io.tokengate.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code http.request_timeout}: from the first byte of a request to the last byte of its body, a client has this
 * long; then its connection is closed (counted in {@code tokengate_http_request_timeouts_total}). The idle timeout
 * alone let a client that sends a byte now and then hold a connection without end. A keep-alive connection with no
 * request under way is not affected (the idle timeout applies to it). A new connection's clock starts when it is
 * accepted (after the TLS handshake, which Vert.x bounds itself), so its first request has the same bound, and a
 * connection that sends nothing at all is closed after it too.
 * <p>
 * Vert.x has no such bound, so two small Netty handlers are put into each HTTP/1.x connection's pipeline (through
 * {@link ConnectionBase#channel()}, Vert.x' internal API): one before everything sees a request's first bytes and
 * starts the clock, one after the HTTP decoder sees its last content and stops it.
 */
final class RequestTimeouts {

  private final long timeoutNanos;
  private final Counter timeouts;

  RequestTimeouts(Duration timeout, MeterRegistry registry) {
    this.timeoutNanos = timeout.toNanos();
    this.timeouts = Counter.builder("tokengate.http.request.timeouts")
      .description("Connections closed because a request (or a new connection's first) took longer than "
        + "http.request_timeout to arrive")
      .register(registry);
  }

  /** A connection handler of the public server. */
  void watch(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return;
    }
    ChannelPipeline pipeline = base.channel().pipeline();
    if (pipeline.get("httpDecoder") == null) {
      return; // not HTTP/1.x
    }
    Clock clock = new Clock();
    // Without HTTP/2 over cleartext (PublicVerticle), Vert.x calls this as it sets the connection up, before any
    // byte of the first request has been read: its clock starts now.
    clock.start(base.channel());
    pipeline.addFirst("tokengate-request-start", new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext context, Object message) {
        clock.start(context.channel());
        context.fireChannelRead(message);
      }
    });
    pipeline.addAfter("httpDecoder", "tokengate-request-end", new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext context, Object message) {
        if (message instanceof HttpRequest) {
          clock.start(context.channel()); // a pipelined request, whose bytes came with the previous one's
        }
        if (message instanceof LastHttpContent) {
          clock.stop();
        }
        context.fireChannelRead(message);
      }

      @Override
      public void channelInactive(ChannelHandlerContext context) {
        clock.stop();
        context.fireChannelInactive();
      }
    });
  }

  /** One connection's clock; only its event-loop thread touches it. */
  private final class Clock {
    private ScheduledFuture<?> running;

    void start(Channel channel) {
      if (running == null) {
        running = channel.eventLoop().schedule(() -> {
          timeouts.increment();
          channel.close();
        }, timeoutNanos, TimeUnit.NANOSECONDS);
      }
    }

    void stop() {
      if (running != null) {
        running.cancel(false);
        running = null;
      }
    }
  }
}

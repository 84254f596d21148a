package io.tokengate.support;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between the gateway and PostgreSQL that a test can break: {@link #blackhole()} drops every connection
 * and accepts new ones that never get an answer (a database host that vanished from the network, the case a client
 * is most likely to hang on); {@link #refuse()} drops every connection and closes new ones at once (a database that
 * restarts); {@link #restore()} forwards again.
 */
public final class TcpProxy implements AutoCloseable {

  private enum Mode { FORWARD, REFUSE, BLACKHOLE }

  private final Vertx vertx = Vertx.vertx();
  private final NetClient client = vertx.createNetClient();
  private final String targetHost;
  private final int targetPort;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private final NetServer server;
  private volatile Mode mode = Mode.FORWARD;

  public TcpProxy(String targetHost, int targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = vertx.createNetServer().connectHandler(this::accept).listen(0, "127.0.0.1").await();
  }

  public int port() {
    return server.actualPort();
  }

  public void blackhole() {
    mode = Mode.BLACKHOLE;
    dropAll();
  }

  public void refuse() {
    mode = Mode.REFUSE;
    dropAll();
  }

  /** Forwards new connections again; held ones are closed, as a returning database would have forgotten them. */
  public void restore() {
    mode = Mode.FORWARD;
    dropAll();
  }

  private void accept(NetSocket incoming) {
    switch (mode) {
      case REFUSE -> incoming.close();
      case BLACKHOLE -> {
        open.add(incoming);
        incoming.handler(ignored -> { });
      }
      case FORWARD -> forward(incoming);
    }
  }

  private void forward(NetSocket incoming) {
    open.add(incoming);
    incoming.pause();
    client.connect(targetPort, targetHost).onComplete(connected -> {
      if (connected.failed()) {
        incoming.close();
        return;
      }
      NetSocket outgoing = connected.result();
      if (mode != Mode.FORWARD) {
        outgoing.close();
        incoming.close();
        return;
      }
      open.add(outgoing);
      incoming.handler(outgoing::write);
      outgoing.handler(incoming::write);
      incoming.closeHandler(closed -> {
        open.remove(incoming);
        outgoing.close();
      });
      outgoing.closeHandler(closed -> {
        open.remove(outgoing);
        incoming.close();
      });
      incoming.resume();
    });
  }

  private void dropAll() {
    for (NetSocket socket : open) {
      socket.close();
    }
    open.clear();
  }

  @Override
  public void close() {
    dropAll();
    vertx.close().await();
  }
}

package io.tokengate.deploy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

import java.util.List;
import java.util.Map;

/** What a NetworkPolicy rule lets through, read the way the Kubernetes documentation defines it. */
final class NetworkPolicies {

  private NetworkPolicies() {
  }

  static boolean allowsTcpPort(NetworkPolicyEgressRule rule, int port) {
    return allowsTcpPort(rule.getPorts(), port);
  }

  static boolean allowsTcpPort(NetworkPolicyIngressRule rule, int port) {
    return allowsTcpPort(rule.getPorts(), port);
  }

  /** Ports of an ingress rule: the numbers it names for TCP. */
  static List<Integer> tcpPorts(NetworkPolicyIngressRule rule) {
    return rule.getPorts().stream()
      .filter(port -> port.getProtocol() == null || port.getProtocol().equals("TCP"))
      .map(port -> port.getPort().getIntVal())
      .toList();
  }

  /** Whether a peer list admits only namespaces with this name (by the kubernetes.io/metadata.name label). */
  static boolean onlyFromNamespace(NetworkPolicyIngressRule rule, String namespace) {
    return !rule.getFrom().isEmpty() && rule.getFrom().stream().allMatch(peer -> peer.getIpBlock() == null
      && peer.getNamespaceSelector() != null
      && peer.getNamespaceSelector().getMatchExpressions().isEmpty()
      && Map.of("kubernetes.io/metadata.name", namespace).equals(peer.getNamespaceSelector().getMatchLabels()));
  }

  /** Whether a rule lets traffic to a pod with these labels in the policy's own namespace. */
  static boolean allowsPodInOwnNamespace(NetworkPolicyEgressRule rule, Map<String, String> podLabels) {
    // No `to`: every destination.
    return rule.getTo().isEmpty() || rule.getTo().stream().anyMatch(peer -> selectsOwnNamespacePod(peer, podLabels));
  }

  private static boolean selectsOwnNamespacePod(NetworkPolicyPeer peer, Map<String, String> podLabels) {
    return peer.getIpBlock() == null && peer.getNamespaceSelector() == null && matches(peer.getPodSelector(), podLabels);
  }

  private static boolean matches(LabelSelector selector, Map<String, String> labels) {
    return selector != null && selector.getMatchExpressions().isEmpty()
      && labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
  }

  private static boolean allowsTcpPort(List<NetworkPolicyPort> ports, int port) {
    // No ports: every port.
    return ports.isEmpty() || ports.stream().anyMatch(candidate ->
      (candidate.getProtocol() == null || candidate.getProtocol().equals("TCP"))
        && (candidate.getPort() == null || covers(candidate, port)));
  }

  private static boolean covers(NetworkPolicyPort candidate, int port) {
    Integer number = candidate.getPort().getIntVal();
    if (number == null) {
      return false;
    }
    int end = candidate.getEndPort() == null ? number : candidate.getEndPort();
    return port >= number && port <= end;
  }
}

package io.leadcredits.webhook;

import io.leadcredits.Limits;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which URLs a webhook may be sent to: absolute {@code http} or {@code https} URLs whose host, and
 * every address it resolves to, is on the public internet. A webhook must not become a way to reach
 * the service's own network (SSRF): loopback, link-local (cloud metadata lives there), private,
 * carrier-grade NAT, unique-local and unspecified addresses are refused, unless private addresses
 * are allowed (tests and single-host setups). Checked when an endpoint is made and again before
 * each attempt, since what a name resolves to can change. The attempt's connection resolves the
 * name again, through the same JVM address cache: docs/design.md ("Webhooks") says why it cannot be
 * pinned to the checked address on Java 17 and what that leaves open.
 */
public final class UrlPolicy {
  private UrlPolicy() {}

  /** Why {@code url} may not be a webhook's, or empty when it may. Resolving the host blocks. */
  public static Optional<String> refusal(String url, boolean allowPrivate) {
    return refusal(url, allowPrivate, InetAddress::getAllByName);
  }

  /** How a host name becomes addresses: the JVM's resolver, with its cache, or a test's own. */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /**
   * As {@link #refusal(String, boolean)} with {@code resolver}. Every address the name resolves to
   * is checked, not only the first: the HTTP client may connect to any of them.
   */
  static Optional<String> refusal(String url, boolean allowPrivate, Resolver resolver) {
    Optional<String> form = formRefusal(url);
    if (form.isPresent() || allowPrivate) {
      return form;
    }
    String host = URI.create(url).getHost();
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return Optional.of("url's host " + host + " does not resolve");
    }
    for (InetAddress a : addresses) {
      if (isPrivate(a)) {
        return Optional.of(
            "url's host "
                + host
                + " is a loopback, link-local or private address ("
                + a.getHostAddress()
                + "); webhooks go to the public internet only");
      }
    }
    return Optional.empty();
  }

  /** Why {@code url} is not an absolute http(s) URL with a host, or empty when it is one. */
  public static Optional<String> formRefusal(String url) {
    if (url.length() > Limits.webhookUrlLengthMax) {
      return Optional.of("url must be at most " + Limits.webhookUrlLengthMax + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("url must be an absolute http or https URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of("url must be an http or https URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return Optional.of("url must name a host");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("url must not carry credentials; receivers check the signature");
    }
    if (uri.getRawFragment() != null) {
      return Optional.of("url must not have a fragment");
    }
    return Optional.empty();
  }

  /** Whether {@code a} is not on the public internet. */
  static boolean isPrivate(InetAddress a) {
    if (a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isAnyLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 // "this network"
          || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT, 100.64/10
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || (first == 198 && (second == 18 || second == 19)) // benchmarking, 198.18/15
          || first >= 240; // reserved and broadcast
    }
    if (a instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return true; // unique local, fc00::/7
      }
      if (isIpv4Mapped(b)) {
        byte[] v4 = {b[12], b[13], b[14], b[15]};
        try {
          return isPrivate(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
          return true; // four bytes are always an address; refuse if the JVM thinks otherwise
        }
      }
    }
    return false;
  }

  private static boolean isIpv4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }
}

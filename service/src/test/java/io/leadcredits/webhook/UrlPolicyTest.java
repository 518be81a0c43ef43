package io.leadcredits.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which URLs a webhook may have, and which addresses count as private. */
class UrlPolicyTest {

  @Test
  void onlyAbsoluteHttpAndHttpsUrlsWithAHostAndNoCredentials() {
    for (String url :
        List.of(
            "ftp://example.com/x",
            "file:///etc/passwd",
            "example.com/hooks",
            "/hooks",
            "http:///nohost",
            "http://user:pw@example.com/",
            "https://example.com/#frag",
            "http://exa mple.com/",
            "https://example.com/" + "x".repeat(2_048))) {
      assertThat(UrlPolicy.formRefusal(url)).as(url).isPresent();
    }
    for (String url :
        List.of("https://example.com/hooks", "http://example.com:8080/a?b=c", "HTTPS://EX.com")) {
      assertThat(UrlPolicy.formRefusal(url)).as(url).isEmpty();
    }
  }

  @Test
  void loopbackLinkLocalPrivateAndReservedAddressesArePrivate() throws Exception {
    for (String address :
        List.of(
            "127.0.0.1",
            "127.8.9.10",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.0.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "::ffff:10.0.0.1")) {
      assertThat(UrlPolicy.isPrivate(InetAddress.getByName(address))).as(address).isTrue();
    }
    for (String address :
        List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111")) {
      assertThat(UrlPolicy.isPrivate(InetAddress.getByName(address))).as(address).isFalse();
    }
  }

  @Test
  void privateAddressesAreRefusedUnlessAllowed() {
    String url = "http://127.0.0.1:9/hooks";
    assertThat(UrlPolicy.refusal(url, false)).isPresent();
    assertThat(UrlPolicy.refusal(url, true)).isEmpty();
    assertThat(UrlPolicy.refusal("http://[::1]/", false)).isPresent();
    assertThat(UrlPolicy.refusal("ftp://127.0.0.1/", true)).isPresent();
  }

  @Test
  void everyAddressANameResolvesToIsCheckedNotOnlyTheFirst() throws Exception {
    java.net.InetAddress publicOne = java.net.InetAddress.getByName("93.184.216.34");
    java.net.InetAddress metadata = java.net.InetAddress.getByName("169.254.169.254");
    String url = "https://hooks.example.com/in";
    assertThat(
            UrlPolicy.refusal(url, false, host -> new java.net.InetAddress[] {publicOne, metadata}))
        .hasValueSatisfying(reason -> assertThat(reason).contains("169.254.169.254"));
    assertThat(UrlPolicy.refusal(url, false, host -> new java.net.InetAddress[] {publicOne}))
        .isEmpty();
    assertThat(
            UrlPolicy.refusal(
                url,
                false,
                host -> {
                  throw new java.net.UnknownHostException(host);
                }))
        .hasValueSatisfying(reason -> assertThat(reason).contains("does not resolve"));
  }
}

package io.statefulroute.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.statefulroute.test.redis.RedisProcess;
import io.statefulroute.test.redis.RedisServers;
import io.statefulroute.test.redis.RedisTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole executor contract over TLS ({@code rediss://}, peer verified) against a redis-server
 * offering a TLS port with a self-signed certificate the test generates with {@code openssl}.
 */
class TlsContractIT extends AbstractRedisContractIT {
  private static RedisProcess server;
  private static Path certs;
  private static int tlsPort;
  private static RedisContractTarget target;

  @BeforeAll
  static void start() throws Exception {
    certs = Files.createTempDirectory("stateful-route-tls-");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-keyout",
        certs.resolve("key.pem").toString(),
        "-out",
        certs.resolve("cert.pem").toString(),
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1");
    tlsPort = freePort();
    server =
        RedisServers.startStandalone(
            "--tls-port",
            String.valueOf(tlsPort),
            "--tls-cert-file",
            certs.resolve("cert.pem").toString(),
            "--tls-key-file",
            certs.resolve("key.pem").toString(),
            "--tls-ca-cert-file",
            certs.resolve("cert.pem").toString(),
            "--tls-auth-clients",
            "no");
    target =
        new RedisContractTarget(
            new RedisTarget(RedisTarget.Kind.STANDALONE, List.of(server.uri()), true),
            List.of(tlsUri()),
            trustingOurCertificate());
  }

  @AfterAll
  static void stop() throws IOException {
    if (target != null) {
      target.close();
    }
    if (server != null) {
      server.close();
    }
    try (var files = Files.list(certs)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(certs);
  }

  @Override
  protected RedisContractTarget target() {
    return target;
  }

  static RedisURI tlsUri() {
    return RedisURI.builder()
        .withHost("127.0.0.1")
        .withPort(tlsPort)
        .withSsl(true)
        .withVerifyPeer(true)
        .withTimeout(Duration.ofSeconds(5))
        .build();
  }

  static ClientOptions trustingOurCertificate() {
    return ClientOptions.builder()
        .sslOptions(
            SslOptions.builder()
                .jdkSslProvider()
                .trustManager(certs.resolve("cert.pem").toFile())
                .build())
        .build();
  }

  @Test
  void tlsPort_withoutTrustingTheCertificate_orInPlainText_isRefused() {
    assertThat(tlsUri().toString()).startsWith("rediss://");
    RedisClient untrusting = RedisClient.create(tlsUri());
    try {
      assertThatThrownBy(untrusting::connect).isInstanceOf(RedisConnectionException.class);
    } finally {
      untrusting.shutdown();
    }
    RedisClient plain =
        RedisClient.create(
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(tlsPort)
                .withTimeout(Duration.ofSeconds(2))
                .build());
    try {
      assertThatThrownBy(() -> plain.connect().sync().ping()).isInstanceOf(Exception.class);
    } finally {
      plain.shutdown();
    }
  }

  private static void openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "openssl is needed to make the test certificate:"
              + " install it (Debian/Ubuntu: apt-get install openssl)",
          e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.naap.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the JDK's keytool: enough for a
 * broker's TLS listener on loopback and for clients that trust exactly that certificate.
 *
 * @param keystore PKCS12 with the private key and certificate, for the server
 * @param truststore PKCS12 with the certificate only, for clients
 */
public record Certificates(Path keystore, Path truststore, String password) {

  /** Creates both stores in {@code dir} (valid for 2 days), protected by {@code password}. */
  public static Certificates selfSigned(Path dir, String password) {
    try {
      Files.createDirectories(dir);
      Path keystore = dir.resolve("broker.p12");
      Path certificate = dir.resolve("broker.crt");
      Path truststore = dir.resolve("truststore.p12");
      keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048",
          "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
          "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", password);
      keytool("-exportcert", "-alias", "broker", "-keystore", keystore.toString(),
          "-storepass", password, "-file", certificate.toString());
      keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
          "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", password);
      return new Certificates(keystore, truststore, password);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a self-signed certificate in " + dir, e);
    }
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool " + args[0] + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool", e);
    }
  }
}

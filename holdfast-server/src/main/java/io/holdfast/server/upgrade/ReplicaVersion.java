package io.holdfast.server.upgrade;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What a replica is: its release and the schema versions it works with. Reported in {@code
 * /health/ready}, in {@code /metrics} ({@code holdfast_replica_info}), on the console's Replicas
 * page and by {@code holdfast probe}, so that during a rolling upgrade an operator sees which
 * replicas run which release.
 *
 * @param release the release, as the build wrote it ({@code 0.2.0-SNAPSHOT})
 * @param schema the schema versions
 */
public record ReplicaVersion(String release, SchemaVersions schema) {

  private static final String RESOURCE = "release.properties";

  /** This build's release with {@code schema}. */
  public static ReplicaVersion of(SchemaVersions schema) {
    return new ReplicaVersion(currentRelease(), schema);
  }

  /** The release this build is, from the properties the build filtered. */
  public static String currentRelease() {
    Properties properties = new Properties();
    try (InputStream in = ReplicaVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the build did not write " + RESOURCE);
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    String version = properties.getProperty("version", "");
    if (version.isBlank() || version.startsWith("${")) {
      throw new IllegalStateException(RESOURCE + " was not filtered by the build: " + version);
    }
    return version;
  }
}

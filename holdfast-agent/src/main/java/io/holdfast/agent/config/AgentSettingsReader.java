package io.holdfast.agent.config;

import static io.holdfast.agent.config.SettingNames.*;

import io.holdfast.agent.config.AgentSettings.ClientSettings;
import io.holdfast.agent.config.AgentSettings.FileSettings;
import io.holdfast.agent.config.AgentSettings.SeatSettings;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.seats.ExpiredSeatPolicy;
import io.holdfast.client.seats.SubscriptionChecker;
import io.holdfast.protocol.signature.VerificationKey;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads {@link AgentSettings} from a {@link SettingsSource}. Every missing or malformed value is
 * named in one {@link IllegalArgumentException}, so an operator fixes them all at once, as with the
 * Spring Boot starter. Defaults differ from the starter's in one place, for the agent's promise to
 * start at once from its disk cache: {@code holdfast.startup-timeout} is 0 and {@code
 * holdfast.when-unavailable} is {@code start-on-defaults} (a namespace with no copy yet answers 503
 * until a replica serves it).
 */
public final class AgentSettingsReader {

  static final String DEFAULT_LISTEN = "127.0.0.1:7070";
  static final String DEFAULT_MANAGEMENT_LISTEN = "127.0.0.1:7071";
  static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 512;
  static final Duration DEFAULT_COMMAND_INTERVAL = Duration.ofSeconds(10);

  /** The shortest token accepted: guessing it over loopback must be hopeless. */
  static final int MIN_TOKEN_LENGTH = 24;

  private final SettingsSource source;
  private final List<String> problems = new ArrayList<>();

  private AgentSettingsReader(SettingsSource source) {
    this.source = source;
  }

  /**
   * @param allowPublicAddress whether {@code --allow-public-address} was given: without it, a
   *     listen address other than loopback is refused
   * @throws IllegalArgumentException listing every problem
   */
  public static AgentSettings read(SettingsSource source, boolean allowPublicAddress) {
    return new AgentSettingsReader(source).read(allowPublicAddress);
  }

  private AgentSettings read(boolean allowPublicAddress) {
    ClientSettings client = client();
    ListenAddress listen = listen(LISTEN, DEFAULT_LISTEN, allowPublicAddress);
    ListenAddress management =
        listen(MANAGEMENT_LISTEN, DEFAULT_MANAGEMENT_LISTEN, allowPublicAddress);
    int maxConcurrent = positiveInt(MAX_CONCURRENT_REQUESTS, DEFAULT_MAX_CONCURRENT_REQUESTS);
    FileSettings files = files();
    SeatSettings seats = seats(client);
    String token = token(seats != null);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "holdfast agent: cannot start, fix these settings:\n  " + String.join("\n  ", problems));
    }
    return new AgentSettings(client, listen, management, token, maxConcurrent, files, seats);
  }

  private ClientSettings client() {
    List<URI> replicas = new ArrayList<>();
    for (String text : source.list(REPLICAS)) {
      try {
        URI uri = URI.create(text);
        HoldfastClient.builder().replicas(uri); // the SDK's own check, named here
        replicas.add(uri);
      } catch (IllegalArgumentException e) {
        problems.add(REPLICAS + ": '" + text + "' " + e.getMessage());
      }
    }
    if (replicas.isEmpty() && source.list(REPLICAS).isEmpty()) {
      problems.add(REPLICAS + ": at least one replica URI is required");
    }
    String instance = required(INSTANCE_ID, "the instance this agent serves");
    String credential = required(CREDENTIAL, "the instance's bearer token");
    if (instance != null && credential != null) {
      try {
        HoldfastClient.builder().instance(instance, credential);
      } catch (IllegalArgumentException e) {
        problems.add(INSTANCE_ID + "/" + CREDENTIAL + ": " + e.getMessage());
      }
    }
    List<VerificationKey> keys = new ArrayList<>();
    for (String text : source.list(TRUSTED_KEYS)) {
      try {
        keys.add(VerificationKey.fromBase64(text));
      } catch (IllegalArgumentException e) {
        problems.add(TRUSTED_KEYS + ": '" + text + "' is " + e.getMessage());
      }
    }
    String root = source.text(TRUSTED_ROOT);
    if (root != null) {
      try {
        HoldfastClient.builder().trustedRoot(Path.of(root));
      } catch (IllegalArgumentException e) {
        problems.add(TRUSTED_ROOT + ": " + e.getMessage());
      }
    }
    if (keys.isEmpty() && root == null && source.list(TRUSTED_KEYS).isEmpty()) {
      problems.add(
          TRUSTED_KEYS
              + " or "
              + TRUSTED_ROOT
              + ": pin the root (root.json from holdfast keys init-root) or at least one public"
              + " key (GET /v1/keys)");
    }
    List<String> namespaces = source.list(NAMESPACES);
    if (namespaces.isEmpty()) {
      problems.add(NAMESPACES + ": name at least one namespace to serve");
    } else {
      try {
        HoldfastClient.builder().namespaces(namespaces.toArray(String[]::new));
      } catch (IllegalArgumentException e) {
        problems.add(NAMESPACES + ": " + e.getMessage());
      }
    }
    String cache = source.text(CACHE_DIRECTORY);
    boolean fail = whenUnavailable();
    return new ClientSettings(
        List.copyOf(replicas),
        instance,
        credential,
        List.copyOf(keys),
        root == null ? null : Path.of(root),
        namespaces,
        cache == null ? null : Path.of(cache),
        duration(GRACE, Duration.ofHours(8)),
        duration(STALE_AFTER, null),
        duration(STARTUP_TIMEOUT, Duration.ZERO),
        fail,
        duration(POLL_INTERVAL, null),
        duration(REQUEST_TIMEOUT, null),
        duration(WATCH_TIMEOUT, null),
        duration(HEARTBEAT_INTERVAL, null));
  }

  private boolean whenUnavailable() {
    String text = source.text(WHEN_UNAVAILABLE);
    if (text == null || text.equals("start-on-defaults")) {
      return false;
    }
    if (text.equals("fail")) {
      return true;
    }
    problems.add(WHEN_UNAVAILABLE + ": '" + text + "' is not fail or start-on-defaults");
    return false;
  }

  private ListenAddress listen(String name, String fallback, boolean allowPublicAddress) {
    String text = source.text(name);
    try {
      ListenAddress address = ListenAddress.parse(name, text == null ? fallback : text);
      if (!address.loopback() && !allowPublicAddress) {
        problems.add(
            name
                + ": "
                + address
                + " is not a loopback address; the agent serves documents and seats without TLS"
                + " to programs on this machine, so it listens on 127.0.0.1 or ::1 unless started"
                + " with --allow-public-address");
      }
      return address;
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return null;
    }
  }

  private FileSettings files() {
    String directory = source.text(FILES_DIRECTORY);
    String command = source.text(FILES_COMMAND);
    Duration interval = duration(FILES_COMMAND_INTERVAL, DEFAULT_COMMAND_INTERVAL);
    if (directory == null) {
      if (command != null) {
        problems.add(FILES_COMMAND + ": needs " + FILES_DIRECTORY + " (the files it reacts to)");
      }
      return null;
    }
    if (interval != null && interval.isZero()) {
      problems.add(FILES_COMMAND_INTERVAL + ": must be more than 0");
    }
    return new FileSettings(Path.of(directory), command, interval);
  }

  private SeatSettings seats(ClientSettings client) {
    String url = source.text(SEATS_JDBC_URL);
    if (url == null) {
      return null;
    }
    if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
      problems.add(SEATS_JDBC_URL + ": '" + url + "' is neither jdbc:sqlite: nor jdbc:postgresql:");
    }
    if (!client.namespaces().contains(SubscriptionChecker.NAMESPACE)) {
      problems.add(
          SEATS_JDBC_URL
              + ": seats are decided on the '"
              + SubscriptionChecker.NAMESPACE
              + "' namespace; add it to "
              + NAMESPACES);
    }
    String table = source.text(SEATS_TABLE);
    if (table != null && !table.matches("[a-z_][a-z0-9_]{0,47}")) {
      problems.add(SEATS_TABLE + ": '" + table + "' is not a lower-case SQL name of 1 to 48");
    }
    ExpiredSeatPolicy policy = ExpiredSeatPolicy.DENY_NEW_SEATS;
    String policyText = source.text(SEATS_EXPIRED_POLICY);
    if (policyText != null) {
      try {
        policy = ExpiredSeatPolicy.valueOf(policyText.replace('-', '_').toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(
            SEATS_EXPIRED_POLICY
                + ": '"
                + policyText
                + "' is not deny-new-seats or allow-up-to-last-known");
      }
    }
    return new SeatSettings(
        url,
        source.text(SEATS_USERNAME),
        source.text(SEATS_PASSWORD),
        table == null ? "holdfast_seats" : table,
        policy);
  }

  /** The seat endpoints' token, from a file only the agent's user may read. */
  private String token(boolean seats) {
    String file = source.text(TOKEN_FILE);
    if (file == null) {
      if (seats) {
        problems.add(
            TOKEN_FILE
                + ": required with seats (a file holding the token that programs send as"
                + " 'Authorization: Bearer <token>')");
      }
      return null;
    }
    Path path = Path.of(file);
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
      if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
        problems.add(TOKEN_FILE + ": " + path + " is readable by every user; chmod o-r it");
        return null;
      }
      String token = Files.readString(path, StandardCharsets.UTF_8).strip();
      if (token.length() < MIN_TOKEN_LENGTH || !token.chars().allMatch(c -> c > 32 && c < 127)) {
        problems.add(
            TOKEN_FILE
                + ": "
                + path
                + " must hold one token of at least "
                + MIN_TOKEN_LENGTH
                + " printable characters");
        return null;
      }
      return token;
    } catch (IOException | UnsupportedOperationException e) {
      problems.add(TOKEN_FILE + ": cannot read " + path + " (" + e + ")");
      return null;
    }
  }

  private String required(String name, String what) {
    String value = source.text(name);
    if (value == null) {
      problems.add(name + ": required (" + what + ")");
    }
    return value;
  }

  private Duration duration(String name, Duration fallback) {
    String text = source.text(name);
    if (text == null) {
      return fallback;
    }
    try {
      Duration duration = Durations.parse(name, text);
      if (duration.isNegative()) {
        problems.add(name + ": '" + text + "' is negative");
        return fallback;
      }
      return duration;
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return fallback;
    }
  }

  private int positiveInt(String name, int fallback) {
    String text = source.text(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= 1 && value <= 100_000) {
        return value;
      }
    } catch (NumberFormatException e) {
      // named below
    }
    problems.add(name + ": '" + text + "' is not a whole number from 1 to 100000");
    return fallback;
  }
}

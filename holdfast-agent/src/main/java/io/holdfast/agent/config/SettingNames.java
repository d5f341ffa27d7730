package io.holdfast.agent.config;

import java.util.List;

/**
 * Every setting the agent reads. The first group is the vocabulary the SDK's builder and the Spring
 * Boot starter share (docs/spring-boot.md); the {@code holdfast.agent.*} names are the agent's own.
 */
final class SettingNames {

  static final String REPLICAS = "holdfast.replicas";
  static final String INSTANCE_ID = "holdfast.instance-id";
  static final String CREDENTIAL = "holdfast.credential";
  static final String TRUSTED_KEYS = "holdfast.trusted-keys";
  static final String TRUSTED_ROOT = "holdfast.trusted-root";
  static final String NAMESPACES = "holdfast.namespaces";
  static final String CACHE_DIRECTORY = "holdfast.cache-directory";
  static final String GRACE = "holdfast.grace";
  static final String STALE_AFTER = "holdfast.stale-after";
  static final String STARTUP_TIMEOUT = "holdfast.startup-timeout";
  static final String WHEN_UNAVAILABLE = "holdfast.when-unavailable";
  static final String POLL_INTERVAL = "holdfast.poll-interval";
  static final String REQUEST_TIMEOUT = "holdfast.request-timeout";
  static final String WATCH_TIMEOUT = "holdfast.watch-timeout";
  static final String HEARTBEAT_INTERVAL = "holdfast.heartbeat-interval";

  static final String LISTEN = "holdfast.agent.listen";
  static final String MANAGEMENT_LISTEN = "holdfast.agent.management-listen";
  static final String TOKEN_FILE = "holdfast.agent.token-file";
  static final String MAX_CONCURRENT_REQUESTS = "holdfast.agent.max-concurrent-requests";
  static final String FILES_DIRECTORY = "holdfast.agent.files.directory";
  static final String FILES_COMMAND = "holdfast.agent.files.command";
  static final String FILES_COMMAND_INTERVAL = "holdfast.agent.files.command-interval";
  static final String SEATS_JDBC_URL = "holdfast.agent.seats.jdbc-url";
  static final String SEATS_USERNAME = "holdfast.agent.seats.username";
  static final String SEATS_PASSWORD = "holdfast.agent.seats.password";
  static final String SEATS_TABLE = "holdfast.agent.seats.table";
  static final String SEATS_EXPIRED_POLICY = "holdfast.agent.seats.expired-policy";

  static final List<String> ALL =
      List.of(
          REPLICAS,
          INSTANCE_ID,
          CREDENTIAL,
          TRUSTED_KEYS,
          TRUSTED_ROOT,
          NAMESPACES,
          CACHE_DIRECTORY,
          GRACE,
          STALE_AFTER,
          STARTUP_TIMEOUT,
          WHEN_UNAVAILABLE,
          POLL_INTERVAL,
          REQUEST_TIMEOUT,
          WATCH_TIMEOUT,
          HEARTBEAT_INTERVAL,
          LISTEN,
          MANAGEMENT_LISTEN,
          TOKEN_FILE,
          MAX_CONCURRENT_REQUESTS,
          FILES_DIRECTORY,
          FILES_COMMAND,
          FILES_COMMAND_INTERVAL,
          SEATS_JDBC_URL,
          SEATS_USERNAME,
          SEATS_PASSWORD,
          SEATS_TABLE,
          SEATS_EXPIRED_POLICY);

  private SettingNames() {}
}

package io.holdfast.spring.boot;

import io.holdfast.client.DocumentValidator;
import io.holdfast.client.HoldfastClient;
import io.holdfast.protocol.signature.VerificationKey;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;

/**
 * The {@code holdfast.*} properties, read and checked before any application bean exists (they
 * configure a property source, so they cannot themselves come from one that Holdfast serves).
 *
 * @param trustedRoot the public {@code root.json} to pin ({@code holdfast keys init-root}), or
 *     {@code null}; with it, signing keys rotate and are revoked without a release
 * @param keyPrefix whether property names start with the namespace ({@code core.timeout}) or not
 * @param startupTimeout how long start-up waits for every namespace to be confirmed
 * @param whenUnavailable what start-up does with neither a replica's document nor a disk copy
 * @param validators per namespace, the application's {@link DocumentValidator} class ({@code
 *     holdfast.validators.<namespace>}); a class and not a bean, because the client is built while
 *     config data loads, before any bean exists, and its validators are fixed when it is built
 */
record HoldfastSettings(
    List<URI> replicas,
    String instanceId,
    String credential,
    List<VerificationKey> trustedKeys,
    Path trustedRoot,
    List<String> namespaces,
    Path cacheDirectory,
    Duration grace,
    Duration staleAfter,
    Duration startupTimeout,
    StartupPolicy whenUnavailable,
    KeyPrefix keyPrefix,
    Duration pollInterval,
    Duration requestTimeout,
    Duration watchTimeout,
    Duration heartbeatInterval,
    Map<String, Class<? extends DocumentValidator>> validators) {

  /** What start-up does when a namespace has neither a replica's document nor a disk copy. */
  enum StartupPolicy {
    /** The application fails to start, naming the namespaces and why. */
    FAIL,
    /** The application starts on its local defaults; documents are adopted when they arrive. */
    START_ON_DEFAULTS
  }

  /** How a namespace's document becomes property names. */
  enum KeyPrefix {
    /** {@code core.sessionTimeoutMinutes}: the namespace, then the document's path. */
    NAMESPACE,
    /** {@code sessionTimeoutMinutes}: the document's path only. */
    NONE
  }

  static final String PREFIX = "holdfast";

  /**
   * Reads the settings; every missing or malformed value is named in one {@link
   * IllegalStateException}, so an operator fixes them all at once.
   */
  static HoldfastSettings read(Binder binder) {
    List<String> problems = new ArrayList<>();
    List<URI> replicas = new ArrayList<>();
    for (String text : strings(binder, "replicas")) {
      try {
        URI uri = URI.create(text.trim());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
          problems.add("holdfast.replicas: '" + text + "' is not an http or https URI");
        } else {
          replicas.add(uri);
        }
      } catch (IllegalArgumentException e) {
        problems.add("holdfast.replicas: '" + text + "' is not a URI (" + e.getMessage() + ")");
      }
    }
    if (replicas.isEmpty() && problems.isEmpty()) {
      problems.add("holdfast.replicas: at least one replica URI is required");
    }
    String instanceId = text(binder, "instance-id");
    if (instanceId == null) {
      problems.add("holdfast.instance-id: required (the instance this application is)");
    }
    String credential = text(binder, "credential");
    if (credential == null) {
      problems.add("holdfast.credential: required (the instance's bearer token)");
    }
    List<VerificationKey> keys = new ArrayList<>();
    for (String text : strings(binder, "trusted-keys")) {
      try {
        keys.add(VerificationKey.fromBase64(text.trim()));
      } catch (IllegalArgumentException e) {
        problems.add("holdfast.trusted-keys: '" + text + "' is " + e.getMessage());
      }
    }
    String root = text(binder, "trusted-root");
    if (root != null) {
      try {
        // Read now only to name a bad file with the other problems; the builder reads it again.
        HoldfastClient.builder().trustedRoot(Path.of(root));
      } catch (IllegalArgumentException e) {
        problems.add("holdfast.trusted-root: " + e.getMessage());
      }
    }
    if (keys.isEmpty()
        && root == null
        && problems.stream().noneMatch(p -> p.startsWith("holdfast.trusted"))) {
      problems.add(
          "holdfast.trusted-keys or holdfast.trusted-root: pin the root (root.json from holdfast"
              + " keys init-root) or at least one public key (GET /v1/keys)");
    }
    List<String> namespaces = strings(binder, "namespaces").stream().map(String::trim).toList();
    if (namespaces.isEmpty()) {
      problems.add("holdfast.namespaces: name at least one namespace to load");
    }
    String cache = text(binder, "cache-directory");
    Duration grace = duration(binder, "grace", Duration.ofHours(8), problems);
    Duration staleAfter = duration(binder, "stale-after", null, problems);
    Duration startup = duration(binder, "startup-timeout", Duration.ofSeconds(10), problems);
    StartupPolicy policy =
        choice(binder, "when-unavailable", StartupPolicy.class, StartupPolicy.FAIL, problems);
    KeyPrefix prefix = choice(binder, "key-prefix", KeyPrefix.class, KeyPrefix.NAMESPACE, problems);
    Duration poll = duration(binder, "poll-interval", null, problems);
    Duration request = duration(binder, "request-timeout", null, problems);
    Duration watch = duration(binder, "watch-timeout", null, problems);
    Duration heartbeat = duration(binder, "heartbeat-interval", null, problems);
    Map<String, Class<? extends DocumentValidator>> validators =
        validators(binder, namespaces, problems);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "spring.config.import=holdfast: cannot start, fix these properties:\n  "
              + String.join("\n  ", problems));
    }
    return new HoldfastSettings(
        List.copyOf(replicas),
        instanceId,
        credential,
        List.copyOf(keys),
        root == null ? null : Path.of(root),
        namespaces,
        cache == null ? null : Path.of(cache),
        grace,
        staleAfter,
        startup,
        policy,
        prefix,
        poll,
        request,
        watch,
        heartbeat,
        validators);
  }

  /**
   * A client for these settings; {@code optional} (from {@code optional:holdfast:}) starts on
   * defaults whatever the policy says.
   */
  HoldfastClient.Builder clientBuilder(boolean optional) {
    HoldfastClient.Builder builder =
        HoldfastClient.builder()
            .replicas(replicas)
            .instance(instanceId, credential)
            .namespaces(namespaces.toArray(String[]::new))
            .gracePeriod(grace)
            .startupTimeout(startupTimeout)
            .failWhenUnavailable(!optional && whenUnavailable == StartupPolicy.FAIL);
    trustedKeys.forEach(builder::trustedKey);
    if (trustedRoot != null) {
      builder.trustedRoot(trustedRoot);
    }
    if (cacheDirectory != null) {
      builder.cacheDirectory(cacheDirectory);
    }
    if (staleAfter != null) {
      builder.staleAfter(staleAfter);
    }
    if (pollInterval != null) {
      builder.pollInterval(pollInterval);
    }
    if (requestTimeout != null) {
      builder.requestTimeout(requestTimeout);
    }
    if (watchTimeout != null) {
      builder.watchTimeout(watchTimeout);
    }
    if (heartbeatInterval != null) {
      builder.heartbeatInterval(heartbeatInterval);
    }
    validators.forEach((namespace, type) -> builder.validator(namespace, instantiate(type)));
    return builder;
  }

  /**
   * {@code holdfast.validators.<namespace>=<class name>}: each class must exist, implement {@link
   * DocumentValidator} and have a public no-argument constructor, and each namespace must be one
   * that is loaded. The classes are only checked here; they are made when the client is built.
   */
  private static Map<String, Class<? extends DocumentValidator>> validators(
      Binder binder, List<String> namespaces, List<String> problems) {
    Map<String, String> named =
        binder
            .bind(PREFIX + ".validators", Bindable.mapOf(String.class, String.class))
            .orElse(Map.of());
    Map<String, Class<? extends DocumentValidator>> validators = new LinkedHashMap<>();
    named.forEach(
        (namespace, className) -> {
          String setting = "holdfast.validators." + namespace;
          if (!namespaces.isEmpty() && !namespaces.contains(namespace)) {
            problems.add(
                setting + ": '" + namespace + "' is not in holdfast.namespaces " + namespaces);
          }
          Class<? extends DocumentValidator> type = validatorClass(setting, className, problems);
          if (type != null) {
            validators.put(namespace, type);
          }
        });
    return Map.copyOf(validators);
  }

  private static Class<? extends DocumentValidator> validatorClass(
      String setting, String className, List<String> problems) {
    String name = className == null ? "" : className.trim();
    if (name.isEmpty()) {
      problems.add(setting + ": name a class that implements " + DocumentValidator.class.getName());
      return null;
    }
    Class<?> type;
    try {
      // The thread's loader: in a packaged application that is the one holding its classes.
      type = Class.forName(name, false, classLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      problems.add(setting + ": class '" + name + "' is not on the class path");
      return null;
    }
    if (!DocumentValidator.class.isAssignableFrom(type)) {
      problems.add(
          setting + ": " + name + " does not implement " + DocumentValidator.class.getName());
      return null;
    }
    if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
      problems.add(setting + ": " + name + " is abstract; name a concrete class");
      return null;
    }
    if (!Modifier.isPublic(type.getModifiers())) {
      problems.add(setting + ": " + name + " is not a public class");
      return null;
    }
    try {
      type.getConstructor();
    } catch (NoSuchMethodException e) {
      problems.add(setting + ": " + name + " has no public constructor without arguments");
      return null;
    }
    return type.asSubclass(DocumentValidator.class);
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : HoldfastSettings.class.getClassLoader();
  }

  private static DocumentValidator instantiate(Class<? extends DocumentValidator> type) {
    try {
      return type.getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "Holdfast: the document validator " + type.getName() + " failed to construct",
          e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "Holdfast: cannot make the document validator " + type.getName() + ": " + e, e);
    }
  }

  private static List<String> strings(Binder binder, String name) {
    return binder.bind(PREFIX + "." + name, String[].class).map(List::of).orElse(List.of());
  }

  private static String text(Binder binder, String name) {
    String text = binder.bind(PREFIX + "." + name, String.class).map(String::trim).orElse("");
    return text.isEmpty() ? null : text;
  }

  private static Duration duration(
      Binder binder, String name, Duration defaultValue, List<String> problems) {
    String text = text(binder, name);
    if (text == null) {
      return defaultValue;
    }
    try {
      Duration value = DurationStyle.detectAndParse(text);
      if (value.isNegative()) {
        problems.add("holdfast." + name + ": must not be negative, was " + text);
      }
      return value;
    } catch (IllegalArgumentException e) {
      problems.add("holdfast." + name + ": '" + text + "' is not a duration (10s, 5m, PT8H)");
      return defaultValue;
    }
  }

  private static <E extends Enum<E>> E choice(
      Binder binder, String name, Class<E> type, E defaultValue, List<String> problems) {
    String text = text(binder, name);
    if (text == null) {
      return defaultValue;
    }
    String normal = text.replace('-', '_').toUpperCase(Locale.ROOT);
    for (E value : type.getEnumConstants()) {
      if (value.name().equals(normal)) {
        return value;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E value : type.getEnumConstants()) {
      allowed.add(value.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    problems.add("holdfast." + name + ": '" + text + "' is not one of " + allowed);
    return defaultValue;
  }
}

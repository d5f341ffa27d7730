package io.holdfast.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The agent's settings as text, from a properties file and the environment, under the names the
 * SDK's Spring Boot starter uses ({@code holdfast.replicas}, {@code holdfast.instance-id}, ...)
 * plus the agent's own {@code holdfast.agent.*}. An environment variable is the name upper-cased
 * with dots and dashes as underscores ({@code HOLDFAST_INSTANCE_ID}) and wins over the file, as in
 * Spring. The file is strict: a name it does not know is refused, listing the known ones, so a typo
 * never silently leaves a default in force. The environment is read for known names only, since it
 * holds other programs' variables too (the launcher's {@code HOLDFAST_JAVA_OPTS}).
 */
public final class SettingsSource {

  private final Map<String, String> values;

  private SettingsSource(Map<String, String> values) {
    this.values = values;
  }

  /**
   * @param file the properties file, or {@code null} for the environment alone
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static SettingsSource read(Path file, Map<String, String> environment) {
    Map<String, String> values = new LinkedHashMap<>();
    if (file != null) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the settings file " + file + ": " + e, e);
      }
      for (String name : new TreeSet<>(properties.stringPropertyNames())) {
        if (!SettingNames.ALL.contains(name)) {
          throw new IllegalArgumentException(
              "unknown setting '"
                  + name
                  + "' in "
                  + file
                  + "; known settings: "
                  + String.join(", ", SettingNames.ALL));
        }
        values.put(name, properties.getProperty(name).trim());
      }
    }
    for (String name : SettingNames.ALL) {
      String value = environment.get(environmentName(name));
      if (value != null) {
        values.put(name, value.trim());
      }
    }
    return new SettingsSource(values);
  }

  /** {@code holdfast.instance-id} → {@code HOLDFAST_INSTANCE_ID}. */
  public static String environmentName(String name) {
    return name.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** The value, or {@code null} when unset or empty. */
  public String text(String name) {
    String value = values.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /** A comma-separated list, empty entries dropped. */
  public List<String> list(String name) {
    String value = text(name);
    if (value == null) {
      return List.of();
    }
    return java.util.Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}

package io.holdfast.spring.boot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two namespaces the benchmark publishes, sized like a real application's settings (nested
 * objects, lists, a map, flags), and the same values as local properties for the baseline.
 */
final class BenchDocuments {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchDocuments() {}

  static final String CORE =
      """
      {
        "greeting": "Welcome to Acme",
        "sessionTimeoutMinutes": 45,
        "supportEmail": "support@acme.example",
        "locale": "en-GB",
        "currency": "EUR",
        "hosts": ["api-1.acme.example", "api-2.acme.example", "api-3.acme.example",
                  "api-4.acme.example", "api-5.acme.example"],
        "database": {"url": "jdbc:postgresql://db.acme.example:5432/app", "poolSize": 20,
                     "connectTimeoutMs": 2000, "readOnly": false},
        "http": {"connectTimeoutMs": 1000, "readTimeoutMs": 5000, "retries": 3,
                 "userAgent": "acme-app/4.2"},
        "limits": {"maxUploadMb": 50, "maxUsers": 250, "requestsPerMinute": 600},
        "seats": {"crm": 25, "billing": 10, "analytics": 5, "support": 8},
        "regions": [{"name": "eu-west", "weight": 60}, {"name": "us-east", "weight": 40}],
        "audit": {"retentionDays": 365, "exportFormat": "jsonl", "redact": ["password", "token"]},
        "mail": {"host": "smtp.acme.example", "port": 587, "from": "noreply@acme.example",
                 "tls": true}
      }
      """;

  static final String FEATURES =
      """
      {
        "darkMode": true, "newCheckout": false, "betaSearch": true, "searchRolloutPercent": 20,
        "inlineHelp": true, "bulkExport": false, "ssoOnly": false, "auditTrail": true,
        "smartReminders": true, "legacyReports": false, "twoFactorPrompt": true,
        "csvImportV2": false, "liveChat": true, "usageBanner": false, "calendarSync": true,
        "aiSummaries": false, "offlineMode": false, "customDomains": true, "webhooksV2": true,
        "granularRoles": false
      }
      """;

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The document as the properties the starter makes of it ({@code prefix.member.child}, {@code
   * prefix.list[i]}), for the baseline's local file: the same names and values, so that the
   * application binds the same things either way.
   */
  static Map<String, String> asProperties(String prefix, JsonNode document) {
    Map<String, String> properties = new TreeMap<>();
    flatten(prefix, document, properties);
    return properties;
  }

  private static void flatten(String name, JsonNode node, Map<String, String> into) {
    if (node.isObject()) {
      node.properties().forEach(e -> flatten(name + "." + e.getKey(), e.getValue(), into));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        flatten(name + "[" + i + "]", node.get(i), into);
      }
    } else if (!node.isNull()) {
      into.put(name, node.asText());
    }
  }
}

package io.holdfast.spring.boot.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.client.DocumentRejectedException;
import io.holdfast.client.DocumentValidator;

/**
 * The application's own rule for {@code core}: a session timeout must be positive. Named in {@code
 * holdfast.validators.core}, as an application would.
 */
public class PositiveTimeout implements DocumentValidator {

  @Override
  public void validate(JsonNode content) throws DocumentRejectedException {
    if (content.path("sessionTimeoutMinutes").asInt(0) <= 0) {
      throw new DocumentRejectedException("sessionTimeoutMinutes must be positive");
    }
  }
}

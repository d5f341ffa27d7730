package io.holdfast.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads the JSON object a command sends (a layer's content, a JSON Schema) from a file, or from
 * standard input for {@code -}, before any request is made. Every failure is an {@link
 * IllegalArgumentException} naming the file and what is wrong with it, which the command line
 * reports as a usage error. Stateless.
 */
final class JsonFiles {

  /** The file name that stands for standard input. */
  static final String STDIN = "-";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonFiles() {}

  /**
   * @param file a path, or {@code -} for {@code stdin}
   * @param what what the object is, for messages ("layer content", "JSON Schema")
   */
  static ObjectNode readObject(String file, String what, InputStream stdin) {
    String name = file.equals(STDIN) ? "standard input" : file;
    byte[] bytes;
    try {
      bytes = file.equals(STDIN) ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(what + " file " + name + " does not exist", e);
    } catch (InvalidPathException | IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + what + " from " + name + ": " + e.getMessage(), e);
    }
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          what
              + " in "
              + name
              + " is not valid JSON: "
              + e.getOriginalMessage()
              + (e.getLocation() == null
                  ? ""
                  : " (line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ")"),
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + what + " from " + name + ": " + e.getMessage(), e);
    }
    if (node == null || node.isMissingNode()) {
      throw new IllegalArgumentException(
          what + " in " + name + " is empty; it must be a JSON object");
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          what
              + " in "
              + name
              + " must be a JSON object, not a JSON "
              + node.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    return (ObjectNode) node;
  }
}

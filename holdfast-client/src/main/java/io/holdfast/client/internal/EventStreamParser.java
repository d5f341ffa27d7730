package io.holdfast.client.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits the bytes of a server-sent-events stream into events, as they arrive, in the subset of the
 * HTML standard's parsing that the checksums stream uses: lines end in LF (a CR before it is
 * dropped), a line starting with a colon is a comment, {@code event}, {@code id} and {@code data}
 * fields are kept (several {@code data} lines join with LF), a blank line dispatches. Other fields
 * are ignored. A line, or an event's data, longer than the limit fails the stream rather than
 * growing without bound. Used by one thread at a time (the HTTP client's delivery is sequential).
 */
final class EventStreamParser {

  /** One dispatched event; {@code type} is {@code "message"} when the event names none. */
  record Event(String type, String id, String data) {}

  /** A line, or an event's data, longer than the limit. */
  static final class OversizedLineException extends RuntimeException {
    OversizedLineException(int limit) {
      super("an event stream line or event exceeds " + limit + " bytes");
    }
  }

  private final int maxLineBytes;
  private final Consumer<Event> events;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private String type;
  private String id;
  private StringBuilder data;

  EventStreamParser(int maxLineBytes, Consumer<Event> events) {
    this.maxLineBytes = maxLineBytes;
    this.events = events;
  }

  /** Feeds the next bytes of the stream; dispatches every event they complete. */
  void feed(ByteBuffer bytes) {
    while (bytes.hasRemaining()) {
      byte b = bytes.get();
      if (b == '\n') {
        byte[] raw = line.toByteArray();
        line.reset();
        int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
        accept(new String(raw, 0, length, StandardCharsets.UTF_8));
      } else {
        if (line.size() >= maxLineBytes) {
          throw new OversizedLineException(maxLineBytes);
        }
        line.write(b);
      }
    }
  }

  private void accept(String text) {
    if (text.isEmpty()) {
      if (data != null) {
        events.accept(new Event(type == null ? "message" : type, id, data.toString()));
      }
      type = null;
      data = null;
      return;
    }
    if (text.startsWith(":")) {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> type = value;
      case "id" -> id = value;
      case "data" -> {
        if (data == null) {
          data = new StringBuilder(value);
        } else if (data.length() + 1 + value.length() > maxLineBytes) {
          // Many short data lines must not grow an event past what one long line may be.
          throw new OversizedLineException(maxLineBytes);
        } else {
          data.append('\n').append(value);
        }
      }
      default -> {
        // retry and unknown fields: nothing this client uses
      }
    }
  }
}

package io.holdfast.cli.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.cli.upgrade.Difference.Aspect;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.http.ReprDigest;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares one answer of the candidate with the same request's answer from a current replica:
 * status, body bytes, and the header fields a client acts on ({@code ETag}, {@code Repr-Digest},
 * {@code Content-Type}, {@code Cache-Control}, {@code Vary}, and every {@code Holdfast-*} field but
 * the signature). {@code Date}, {@code Content-Length} and connection fields are left out: they
 * differ between any two answers, or follow from the body. Signatures are verified on both sides,
 * never compared: replicas may sign the same bytes with another key or in another batch. Stateless.
 */
final class AnswerComparison {

  private static final List<String> CLIENT_HEADERS =
      List.of("Content-Type", "ETag", HoldfastHeaders.REPR_DIGEST, "Cache-Control", "Vary");

  private static final ObjectMapper JSON = new ObjectMapper();

  private AnswerComparison() {}

  /**
   * Adds every difference between the two answers to {@code out}.
   *
   * @param signatures how to verify the current replica's signature (the candidate's is {@link
   *     #checkCandidate}'s); {@code null} for unsigned answers
   */
  static void compare(
      String instance,
      String document,
      URI against,
      Reading candidate,
      Reading current,
      SignatureCheck signatures,
      List<Difference> out) {
    if (candidate.status() != current.status()) {
      out.add(
          new Difference(
              instance,
              document,
              against,
              Aspect.STATUS,
              "candidate " + candidate.status() + ", current " + current.status()));
      return;
    }
    if (!Arrays.equals(candidate.body(), current.body())) {
      out.add(
          new Difference(instance, document, against, Aspect.BODY, bodyDetail(candidate, current)));
    }
    for (String name : comparedHeaders(candidate, current)) {
      String mine = candidate.header(name);
      String theirs = current.header(name);
      if (!Objects.equals(mine, theirs)) {
        out.add(
            new Difference(
                instance,
                document,
                against,
                aspectOf(name),
                name + ": candidate " + quoted(mine) + ", current " + quoted(theirs)));
      }
    }
    if (signatures != null && current.status() == 200) {
      String theirs = signatures.problem(current);
      if (theirs != null) {
        out.add(
            new Difference(
                instance, document, against, Aspect.SIGNATURE, "current replica: " + theirs));
      }
    }
  }

  /**
   * Adds what is wrong with the candidate's answer on its own, whatever the current replicas send:
   * a signature that does not verify, validators that do not describe its body. Reported once per
   * document, with no current replica named.
   *
   * @param signatures how to verify the answer's signature; {@code null} for an unsigned answer
   */
  static void checkCandidate(
      String instance,
      String document,
      Reading candidate,
      SignatureCheck signatures,
      List<Difference> out) {
    if (candidate.status() != 200) {
      return;
    }
    selfConsistency(instance, document, null, candidate, out);
    if (signatures != null) {
      String problem = signatures.problem(candidate);
      if (problem != null) {
        out.add(new Difference(instance, document, null, Aspect.SIGNATURE, problem));
      }
    }
  }

  /**
   * The candidate's validators must describe its own body, as a client checks them; a current
   * replica whose body differs is reported above, but a candidate that sends the right ETag with
   * the wrong bytes would otherwise pass the header comparison.
   */
  private static void selfConsistency(
      String instance, String document, URI against, Reading candidate, List<Difference> out) {
    ContentHash hash = ContentHash.of(candidate.body());
    String etag = candidate.header("ETag");
    if (etag != null && !etag.equals(hash.entityTag().toHeaderValue())) {
      out.add(
          new Difference(
              instance,
              document,
              against,
              Aspect.ETAG,
              etag + " is not the content hash of its body, " + hash.entityTag().toHeaderValue()));
    }
    String digest = candidate.header(HoldfastHeaders.REPR_DIGEST);
    if (digest != null && !digestMatches(digest, candidate.body())) {
      out.add(
          new Difference(
              instance,
              document,
              against,
              Aspect.DIGEST,
              "the Repr-Digest does not match the body"));
    }
  }

  private static boolean digestMatches(String field, byte[] body) {
    try {
      return ReprDigest.verify(field, body);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Set<String> comparedHeaders(Reading candidate, Reading current) {
    Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    names.addAll(CLIENT_HEADERS);
    for (Reading answer : List.of(candidate, current)) {
      for (String name : answer.headers().keySet()) {
        if (name.toLowerCase(Locale.ROOT).startsWith("holdfast-")
            && !name.equalsIgnoreCase(HoldfastHeaders.SIGNATURE)) {
          names.add(name);
        }
      }
    }
    return names;
  }

  private static Aspect aspectOf(String header) {
    if (header.equalsIgnoreCase("ETag")) {
      return Aspect.ETAG;
    }
    return header.equalsIgnoreCase(HoldfastHeaders.REPR_DIGEST) ? Aspect.DIGEST : Aspect.HEADER;
  }

  private static String quoted(String value) {
    return value == null ? "(absent)" : "'" + value + "'";
  }

  /** Sizes, the first differing byte, and whether the JSON values are the same. */
  static String bodyDetail(Reading candidate, Reading current) {
    byte[] a = candidate.body();
    byte[] b = current.body();
    int at = Arrays.mismatch(a, b);
    String detail =
        "candidate "
            + a.length
            + " bytes, current "
            + b.length
            + " bytes, first different at byte "
            + at;
    JsonNode mine = json(a);
    JsonNode theirs = json(b);
    if (mine != null && theirs != null) {
      detail +=
          mine.equals(theirs)
              ? "; the same JSON value serialised differently (canonical form changed?)"
              : "; different JSON values";
    }
    return detail;
  }

  private static JsonNode json(byte[] body) {
    try {
      return body.length == 0 ? null : JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }
}

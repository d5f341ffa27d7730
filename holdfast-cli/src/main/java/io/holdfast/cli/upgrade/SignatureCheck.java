package io.holdfast.cli.upgrade;

import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.signature.SignatureHeader;
import io.holdfast.protocol.signature.VerificationKey;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Whether an answer's {@code Holdfast-Signature} verifies over its body under a trusted key, as the
 * SDK and the probe check it. Two replicas may sign the same bytes differently (another key,
 * another batch), so signatures are never compared with each other, only verified. Immutable.
 */
final class SignatureCheck {

  private final Map<String, VerificationKey> trusted;

  SignatureCheck(Collection<VerificationKey> keys) {
    this.trusted =
        keys.stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    VerificationKey::keyId, Function.identity(), (a, b) -> a));
    if (trusted.isEmpty()) {
      throw new IllegalArgumentException("no trusted key to verify signatures with");
    }
  }

  /** The key ids trusted, for the report. */
  Collection<String> keyIds() {
    return trusted.keySet();
  }

  /** Why the answer's signature fails, or {@code null} when it verifies. */
  String problem(Reading answer) {
    String field = answer.header(HoldfastHeaders.SIGNATURE);
    if (field == null) {
      return "no " + HoldfastHeaders.SIGNATURE + " header";
    }
    SignatureHeader header;
    try {
      header = SignatureHeader.parse(field);
    } catch (IllegalArgumentException e) {
      return "malformed " + HoldfastHeaders.SIGNATURE + ": " + e.getMessage();
    }
    VerificationKey key = trusted.get(header.keyId());
    if (key == null) {
      return "signed by key " + header.keyId() + ", which is not trusted";
    }
    return key.verifies(answer.body(), header)
        ? null
        : "the signature by " + header.keyId() + " does not verify over the body";
  }
}

package io.holdfast.protocol.keyset;

import static io.holdfast.protocol.keyset.Keys.T0;
import static io.holdfast.protocol.keyset.Keys.id;
import static io.holdfast.protocol.keyset.Keys.root;
import static io.holdfast.protocol.keyset.Keys.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.protocol.json.JsonInputException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignedKeySetTest {

  private static KeyPair rootA;
  private static KeyPair rootB;
  private static KeyPair online1;
  private static KeyPair online2;
  private static SignedKeySet signed;
  private static String text;

  @BeforeAll
  static void keys() {
    rootA = Keys.generate();
    rootB = Keys.generate();
    online1 = Keys.generate();
    online2 = Keys.generate();
    RootKeys root = root(1, rootA, rootB);
    KeySet keySet =
        new KeySet(
            7,
            T0,
            T0.plusSeconds(86_400),
            List.of(Keys.signing(online1)),
            new TreeSet<>(List.of(id(online2))),
            root,
            Optional.of(new KeySet.Recovery(1, new TreeSet<>(List.of(id(online2))))));
    signed = sign(keySet, rootA, rootB);
    text = new String(signed.toBytes(), StandardCharsets.UTF_8);
  }

  private static JsonInputException parseFailure(String document) {
    try {
      SignedKeySet.parse(document.getBytes(StandardCharsets.UTF_8));
    } catch (JsonInputException e) {
      return e;
    }
    throw new AssertionError("accepted: " + document);
  }

  @Test
  void toBytes_parse_roundTrips() throws Exception {
    SignedKeySet parsed = SignedKeySet.parse(signed.toBytes());

    assertThat(parsed.keySet()).isEqualTo(signed.keySet());
    assertThat(parsed.signatures()).isEqualTo(signed.signatures());
    assertThat(parsed.toBytes()).isEqualTo(signed.toBytes());
    assertThat(parsed.payload()).isEqualTo(signed.keySet().toBytes());
  }

  @Test
  void format_isCanonicalJson_withTheDocumentedMembers() {
    assertThat(text)
        .startsWith("{\"signatures\":[{\"alg\":\"ed25519\",\"keyId\":\"hf1-")
        .contains(
            "\"signed\":{\"expires\":\"2026-12-02T00:00:00Z\",\"format\":\"holdfast-keyset-1\","
                + "\"issuedAt\":\"2026-12-01T00:00:00Z\",\"recovery\":{\"epoch\":1,\"keyIds\":[\""
                + id(online2)
                + "\"]},\"revoked\":[\""
                + id(online2)
                + "\"],\"root\":{\"keys\":[{\"keyId\":\"hf1-")
        .contains("\"threshold\":1},\"signingKeys\":[{\"keyId\":\"" + id(online1) + "\"")
        .contains("\"notAfter\":\"2027-12-01T00:00:00Z\",\"notBefore\":\"2026-12-01T00:00:00Z\"")
        .endsWith("\"version\":7}}");
  }

  @Test
  void signedMessage_isThePrefixedPayload() {
    String message = new String(signed.signedMessage(), StandardCharsets.UTF_8);

    assertThat(message)
        .isEqualTo("holdfast-keyset-1\n" + new String(signed.payload(), StandardCharsets.UTF_8));
  }

  @Test
  void unknownMembers_areRefused_namingWhere() {
    assertThat(parseFailure(text.replace("{\"signatures\"", "{\"extra\":1,\"signatures\"")))
        .hasMessage("the key set has the unknown member 'extra'");
    assertThat(parseFailure(text.replace("\"version\":7}", "\"version\":7,\"zz\":true}")))
        .hasMessage("signed has the unknown member 'zz'");
    assertThat(parseFailure(text.replace("\"threshold\":1}", "\"threshold\":1,\"x\":0}")))
        .hasMessage("signed.root has the unknown member 'x'");
    assertThat(parseFailure(text.replace("\"notAfter\"", "\"comment\":\"\",\"notAfter\"")))
        .hasMessage("signed.signingKeys[0] has the unknown member 'comment'");
    assertThat(parseFailure(text.replace("{\"alg\"", "{\"a\":0,\"alg\"")))
        .hasMessage("signatures[0] has the unknown member 'a'");
    assertThat(parseFailure(text.replace("{\"epoch\"", "{\"at\":0,\"epoch\"")))
        .hasMessage("signed.recovery has the unknown member 'at'");
  }

  @Test
  void missingMembers_areRefused_namingWhich() {
    assertThat(parseFailure(text.replace(",\"version\":7}", "}")))
        .hasMessage("signed lacks the member 'version'");
    assertThat(parseFailure(text.replaceFirst("\"revoked\":\\[[^\\]]*\\],", "")))
        .hasMessage("signed lacks the member 'revoked'");
  }

  @Test
  void duplicateMembers_areRefused() {
    JsonInputException e =
        parseFailure(text.replace("\"version\":7}", "\"version\":7,\"version\":8}"));

    assertThat(e.kind()).isEqualTo(JsonInputException.Kind.DUPLICATE_KEY);
    assertThat(e.getMessage()).contains("version");
  }

  @Test
  void wrongTypes_areRefused_namingTheMember() {
    assertThat(parseFailure(text.replace("\"version\":7}", "\"version\":\"7\"}")))
        .hasMessage("signed.version must be a whole number of at least 1");
    assertThat(parseFailure(text.replace("\"version\":7}", "\"version\":7.5}")))
        .hasMessage("signed.version must be a whole number of at least 1");
    assertThat(parseFailure(text.replace("\"version\":7}", "\"version\":0}")))
        .hasMessage("signed.version must be a whole number of at least 1");
    assertThat(parseFailure(text.replace("\"version\":7}", "\"version\":99999999999999999999}")))
        .hasMessage("signed.version must be a whole number of at least 1");
    assertThat(parseFailure(text.replace("\"threshold\":1", "\"threshold\":true")))
        .hasMessage("signed.root.threshold must be a whole number of at least 1");
    assertThat(
            parseFailure(
                text.replace(
                    "\"issuedAt\":\"2026-12-01T00:00:00Z\"", "\"issuedAt\":\"yesterday\"")))
        .hasMessage("signed.issuedAt must be an RFC 3339 UTC instant, was 'yesterday'");
    assertThat(parseFailure(text.replaceFirst("\"revoked\":\\[[^\\]]*\\]", "\"revoked\":\"none\"")))
        .hasMessage("signed.revoked must be an array");
    assertThat(parseFailure(text.replaceFirst("\"revoked\":\\[[^\\]]*\\]", "\"revoked\":[1]")))
        .hasMessage("signed.revoked[0] must be a string");
    assertThat(parseFailure(text.replace("\"signed\":{", "\"signed\":[{").replace("}}", "}]}")))
        .hasMessage("signed must be a JSON object");
  }

  @Test
  void badValues_areRefused_withTheRuleTheyBreak() {
    assertThat(parseFailure(text.replace("holdfast-keyset-1", "holdfast-keyset-2")))
        .hasMessage("signed.format is 'holdfast-keyset-2', not holdfast-keyset-1");
    assertThat(parseFailure(text.replace("\"alg\":\"ed25519\"", "\"alg\":\"none\"")))
        .hasMessage("signatures[0].alg is 'none'; only ed25519 is accepted");
    assertThat(parseFailure(text.replace("\"threshold\":1", "\"threshold\":3")))
        .hasMessage("signed.root: the threshold must be from 1 to 2, was 3");
    assertThat(parseFailure(text.replaceFirst("\"revoked\":\\[\"hf1-", "\"revoked\":[\"hf2-")))
        .hasMessageStartingWith("signed: a revoked key id is hf1- and 16 hex digits, not 'hf2-");
    assertThat(
            parseFailure(
                text.replace(
                    "\"notBefore\":\"2026-12-01T00:00:00Z\"",
                    "\"notBefore\":\"2028-01-01T00:00:00Z\"")))
        .hasMessageContaining("signed.signingKeys[0]: key " + id(online1) + ": notAfter");
    String sig = text.replaceFirst(".*?\"sig\":\"([^\"]*)\".*", "$1");
    assertThat(parseFailure(text.replace(sig, sig.substring(4))))
        .hasMessage("signatures[0].sig holds 61 bytes; an Ed25519 signature has 64");
    assertThat(parseFailure(text.replace(sig, "*" + sig.substring(1))))
        .hasMessage("signatures[0].sig is not base64");
    assertThat(parseFailure(text.replace(sig, "AAAA" + sig)))
        .hasMessage("signatures[0].sig holds 67 bytes; an Ed25519 signature has 64");
  }

  @Test
  void keyIdThatDoesNotMatchItsPublicKey_isRefused() {
    String listed = id(online1);
    String other = id(online2);

    JsonInputException e =
        parseFailure(text.replace("{\"keyId\":\"" + listed, "{\"keyId\":\"" + other));

    assertThat(e)
        .hasMessage(
            "signed.signingKeys[0].keyId is '"
                + other
                + "', but the public key's id is '"
                + listed
                + "'");
  }

  @Test
  void keyListedAndRevoked_isRefused() {
    KeySet.SigningKey key = Keys.signing(online1);

    assertThatThrownBy(
            () ->
                new KeySet(
                    1,
                    T0,
                    T0.plusSeconds(60),
                    List.of(key),
                    new TreeSet<>(List.of(key.keyId())),
                    root(1, rootA),
                    Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("listed and revoked at once");
  }

  @Test
  void emptySignatures_areRefused() {
    String unsigned =
        new String(new SignedKeySet(signed.keySet(), List.of()).toBytes(), StandardCharsets.UTF_8);

    assertThat(parseFailure(unsigned))
        .hasMessage("signatures is empty; a key set needs a root signature");
  }

  @Test
  void nonCanonicalBytes_areRefused_evenWhenTheyMeanTheSame() {
    assertThat(parseFailure(text + "\n"))
        .hasMessageStartingWith("the key set is not in canonical form");
    assertThat(parseFailure(text.replace("\"version\":7", "\"version\": 7")))
        .hasMessageContaining("first difference at byte");
    assertThat(parseFailure(text.replace("2026-12-02T00:00:00Z", "2026-12-02T00:00:00.000Z")))
        .hasMessageStartingWith("the key set is not in canonical form");
    String sortedFirst =
        text.replaceFirst(
            "\\{\"signatures\":(\\[.*?\\]),(\"signed\":.*)\\}$", "{$2,\"signatures\":$1}");
    assertThat(sortedFirst).isNotEqualTo(text);
    assertThat(parseFailure(sortedFirst))
        .hasMessageStartingWith("the key set is not in canonical form");
  }

  @Test
  void signatureInNonCanonicalBase64_isRefused_soNoSignedKeySetHasTwoSpellings() throws Exception {
    String sig = text.replaceFirst(".*?\"sig\":\"([^\"]*)\".*", "$1");
    // 64 bytes end in one byte spread over two characters: the second carries 4 unused bits.
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char last = sig.charAt(sig.length() - 3);
    String respelled =
        sig.substring(0, sig.length() - 3) + alphabet.charAt(alphabet.indexOf(last) | 1) + "==";
    assertThat(java.util.Base64.getDecoder().decode(respelled))
        .isEqualTo(java.util.Base64.getDecoder().decode(sig));

    assertThat(parseFailure(text.replace(sig, respelled)))
        .hasMessageStartingWith("the key set is not in canonical form");
  }

  @Test
  void oversizedInput_isRefusedBeforeParsing() {
    byte[] big = new byte[SignedKeySet.MAX_BYTES + 1];
    java.util.Arrays.fill(big, (byte) ' ');

    assertThatThrownBy(() -> SignedKeySet.parse(big))
        .isInstanceOfSatisfying(
            JsonInputException.class,
            e -> assertThat(e.kind()).isEqualTo(JsonInputException.Kind.TOO_LARGE))
        .hasMessage("the body is 65537 bytes; the limit is 65536");
  }

  @Test
  void tooManySignatures_areRefused() {
    StringBuilder many = new StringBuilder("{\"signatures\":[");
    for (int i = 0; i <= SignedKeySet.MAX_SIGNATURES; i++) {
      many.append(i == 0 ? "" : ",").append("{}");
    }
    many.append("],").append(text.substring(text.indexOf("\"signed\"")));

    assertThat(parseFailure(many.toString()))
        .hasMessage("signatures has 33 elements; the limit is 32");
  }

  @Test
  void deepNesting_isRefused() {
    JsonInputException e =
        parseFailure(text.replace("\"version\":7}", "\"version\":[[[[[[[[[7]]]]]]]]]}"));

    assertThat(e.kind()).isEqualTo(JsonInputException.Kind.TOO_DEEP);
  }

  @Test
  void parseChain_readsAReplicasChainAnswer_inVersionOrder() throws Exception {
    SignedKeySet next = sign(withVersion(signed.keySet(), 8), rootA);
    String answer =
        "{\"keySets\":[" + text + "," + new String(next.toBytes(), StandardCharsets.UTF_8) + "]}";

    List<SignedKeySet> chain = SignedKeySet.parseChain(answer.getBytes(StandardCharsets.UTF_8));

    assertThat(chain).extracting(k -> k.keySet().version()).containsExactly(7L, 8L);
    assertThat(chain.get(0).toBytes()).isEqualTo(signed.toBytes());
    assertThat(SignedKeySet.parseChain("{\"keySets\":[]}".getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
  }

  @Test
  void parseChain_refusesVersionsThatDoNotAscend_andNamesTheBrokenElement() {
    SignedKeySet older = sign(withVersion(signed.keySet(), 6), rootA);
    String descending =
        "{\"keySets\":[" + text + "," + new String(older.toBytes(), StandardCharsets.UTF_8) + "]}";
    String repeated = "{\"keySets\":[" + text + "," + text + "]}";
    String broken = "{\"keySets\":[" + text.replace("\"version\":7", "\"version\":\"7\"") + "]}";

    for (String answer : List.of(descending, repeated)) {
      assertThatThrownBy(() -> SignedKeySet.parseChain(answer.getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(JsonInputException.class)
          .hasMessageContaining("keySets[1]");
    }
    assertThatThrownBy(() -> SignedKeySet.parseChain(broken.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(JsonInputException.class)
        .hasMessageContaining("keySets[0]");
    assertThatThrownBy(
            () -> SignedKeySet.parseChain("{\"sets\":[]}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(JsonInputException.class);
  }

  private static KeySet withVersion(KeySet keySet, long version) {
    return new KeySet(
        version,
        keySet.issuedAt(),
        keySet.expires(),
        keySet.signingKeys(),
        keySet.revoked(),
        keySet.root(),
        keySet.recovery());
  }
}

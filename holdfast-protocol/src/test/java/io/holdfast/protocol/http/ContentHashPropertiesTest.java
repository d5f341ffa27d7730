package io.holdfast.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class ContentHashPropertiesTest {

  @Property
  void A11_identicalBytes_giveIdenticalTagAndDigest(@ForAll @Size(max = 256) byte[] bytes) {
    ContentHash first = ContentHash.of(bytes);
    ContentHash second = ContentHash.of(bytes.clone());

    assertThat(second.entityTag()).isEqualTo(first.entityTag());
    assertThat(second.entityTag().toHeaderValue()).isEqualTo(first.entityTag().toHeaderValue());
    assertThat(second.reprDigest()).isEqualTo(first.reprDigest());
  }

  @Property
  void entityTag_matchesIndependentlyComputedSha256(@ForAll @Size(max = 256) byte[] bytes)
      throws Exception {
    String expected =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));

    EntityTag tag = ContentHash.of(bytes).entityTag();

    assertThat(tag.opaque()).isEqualTo(expected);
    assertThat(tag.weak()).isFalse();
    // Always a valid strong tag that survives a header round trip.
    assertThat(EntityTag.parse(tag.toHeaderValue())).isEqualTo(tag);
  }

  @Property
  void differentBytes_giveDifferentTags(
      @ForAll @Size(max = 64) byte[] a, @ForAll @Size(max = 64) byte[] b) {
    Assume.that(!Arrays.equals(a, b));

    assertThat(ContentHash.of(a).entityTag()).isNotEqualTo(ContentHash.of(b).entityTag());
  }

  @Property
  void A8_anySingleBitFlip_failsDigestVerification(
      @ForAll @Size(min = 1, max = 128) byte[] bytes, @ForAll int position, @ForAll int bit) {
    String field = ContentHash.of(bytes).reprDigest();
    byte[] tampered = bytes.clone();
    tampered[Math.floorMod(position, tampered.length)] ^= (byte) (1 << Math.floorMod(bit, 8));

    assertThat(ReprDigest.verify(field, bytes)).isTrue();
    assertThat(ReprDigest.verify(field, tampered)).isFalse();
  }
}

package io.holdfast.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.json.StrictJson;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.protocol.signature.SignatureHeader;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.model.Role;
import io.holdfast.server.model.Scope;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.server.store.AdminCredential;
import io.holdfast.server.store.Ring;
import io.holdfast.server.store.StoreState;
import io.holdfast.server.subscription.SeatModel;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionStatus;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SnapshotBuilderTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final StrictJson STRICT = new StrictJson(1 << 20, 64);
  private static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-02-02T10:00:00Z"), ZoneOffset.UTC);
  private static final List<Ring> RINGS =
      List.of(
          new Ring("test", 0, Duration.ZERO, 1),
          new Ring("dev", 1, Duration.ofHours(24), 1),
          new Ring("beta", 2, Duration.ofHours(48), 1),
          new Ring("live", 3, Duration.ZERO, 1));

  private static KeyPair keyPair;
  private static DocumentSigner signer;

  @BeforeAll
  static void generateKey() throws GeneralSecurityException {
    keyPair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    signer = new DocumentSigner(keyPair);
  }

  private final SnapshotBuilder builder = new SnapshotBuilder(signer, CLOCK);

  // ------------------------------------------------------------------ fixtures

  /** The publish time of a revision in these fixtures: one minute per revision. */
  private static Instant at(long revision) {
    return T0.plusSeconds(60 * revision);
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Instance instance(String id, String ring, long assignmentRevision) {
    return new Instance(
        id,
        ring,
        Map.of(),
        "hash-" + id,
        assignmentRevision,
        at(assignmentRevision),
        at(assignmentRevision));
  }

  private static Namespace namespace(String name, long revision) {
    return new Namespace(name, "", revision, at(revision));
  }

  private static LayerVersion layer(String namespace, String scope, long revision, String content) {
    return new LayerVersion(
        namespace,
        Scope.parse(scope),
        revision,
        content == null ? null : json(content),
        at(revision));
  }

  /**
   * A consistent state: its revision is the highest one mentioned, and every revision has a time.
   */
  private static StoreState state(
      List<Instance> instances,
      List<Namespace> namespaces,
      List<LayerVersion> layers,
      List<AdminCredential> admins) {
    long revision =
        Stream.of(
                instances.stream().map(Instance::assignmentRevision),
                namespaces.stream().map(Namespace::revision),
                layers.stream().map(LayerVersion::revision))
            .flatMap(Function.identity())
            .mapToLong(Long::longValue)
            .max()
            .orElse(1);
    Map<Long, Instant> times =
        LongStream.rangeClosed(1, revision)
            .boxed()
            .collect(Collectors.toMap(r -> r, SnapshotBuilderTest::at));
    return new StoreState(
        revision,
        RINGS,
        instances,
        namespaces,
        layers,
        admins,
        times,
        List.of(),
        List.of(),
        List.of(),
        List.of());
  }

  private static StoreState state(
      List<Instance> instances, List<Namespace> namespaces, List<LayerVersion> layers) {
    return state(instances, namespaces, layers, List.of());
  }

  /**
   * Two instances in different rings; namespace {@code core} with a default layer, a layer for each
   * ring and an instance layer for {@code acme-prod}.
   */
  private static StoreState fleet() {
    return state(
        List.of(instance("acme-prod", "live", 2), instance("beta-co", "beta", 3)),
        List.of(namespace("core", 4)),
        List.of(
            layer(
                "core",
                "default",
                5,
                "{\"a\":1,\"b\":{\"x\":1,\"y\":2},\"c\":\"keep\",\"seats\":10}"),
            layer("core", "ring:live", 6, "{\"b\":{\"x\":10},\"d\":true,\"seats\":15}"),
            layer("core", "ring:beta", 7, "{\"beta\":true,\"seats\":20}"),
            layer(
                "core",
                "instance:acme-prod",
                8,
                "{\"b\":{\"y\":null},\"c\":null,\"e\":[1,2],\"seats\":12}")));
  }

  private static Envelope envelope(ServedDocument document) throws JsonInputException {
    return Envelope.parse(document.body(), STRICT);
  }

  // ------------------------------------------------------------------ merge

  @Test
  void layersMergeDefaultThenRingThenInstance_withNullRemovingMembers() throws Exception {
    EffectiveSnapshot snapshot = builder.build(fleet(), null);

    Envelope acme = envelope(snapshot.instance("acme-prod").document("core"));

    assertThat(acme.content())
        .isEqualTo(json("{\"a\":1,\"b\":{\"x\":10},\"d\":true,\"e\":[1,2],\"seats\":12}"));
  }

  @Test
  void ringLayerOfAnotherRing_andInstanceLayerOfAnotherInstance_doNotApply() throws Exception {
    EffectiveSnapshot snapshot = builder.build(fleet(), null);

    Envelope acme = envelope(snapshot.instance("acme-prod").document("core"));
    Envelope beta = envelope(snapshot.instance("beta-co").document("core"));

    assertThat(acme.content().has("beta")).isFalse();
    assertThat(beta.content())
        .isEqualTo(
            json("{\"a\":1,\"b\":{\"x\":1,\"y\":2},\"c\":\"keep\",\"beta\":true,\"seats\":20}"));
    assertThat(beta.revision())
        .as("acme-prod's instance layer does not count for beta-co")
        .isEqualTo(7);
  }

  @Test
  void removedLayer_contributesNoContent_butItsRevisionCounts() throws Exception {
    StoreState removed =
        state(
            List.of(instance("acme-prod", "live", 2)),
            List.of(namespace("core", 3)),
            List.of(
                layer("core", "default", 4, "{\"a\":1}"),
                layer("core", "ring:live", 9, null),
                layer("core", "instance:acme-prod", 5, "{\"i\":true}")));

    ServedDocument document = builder.build(removed, null).instance("acme-prod").document("core");
    Envelope envelope = envelope(document);

    assertThat(envelope.content()).isEqualTo(json("{\"a\":1,\"i\":true}"));
    assertThat(envelope.revision()).isEqualTo(9);
    assertThat(document.revision()).isEqualTo(9);
    assertThat(envelope.issuedAt()).isEqualTo(at(9));
  }

  @Test
  void namespaceWithoutLayers_servesAnEmptyObjectAtTheLaterOfNamespaceAndAssignment()
      throws Exception {
    StoreState state =
        state(
            List.of(instance("acme-prod", "live", 2), instance("late", "live", 7)),
            List.of(namespace("core", 5)),
            List.of());

    EffectiveSnapshot snapshot = builder.build(state, null);

    Envelope acme = envelope(snapshot.instance("acme-prod").document("core"));
    assertThat(acme.content()).isEqualTo(json("{}"));
    assertThat(acme.revision()).isEqualTo(5);
    assertThat(envelope(snapshot.instance("late").document("core")).revision()).isEqualTo(7);
  }

  @Test
  void effectiveRevision_isTheHighestOfNamespaceAssignmentAndLayerRevisions() throws Exception {
    List<LayerVersion> layers =
        List.of(
            layer("core", "default", 4, "{\"a\":1}"),
            layer("core", "ring:live", 6, "{\"b\":1}"),
            layer("core", "instance:acme-prod", 5, "{\"c\":1}"));
    record Case(String what, long namespace, long assignment, long expected) {}
    List<Case> cases =
        List.of(
            new Case("a ring layer is newest", 1, 2, 6),
            new Case("the ring assignment is newest", 1, 11, 11),
            new Case("the namespace is newest", 12, 2, 12));

    for (Case c : cases) {
      StoreState state =
          state(
              List.of(instance("acme-prod", "live", c.assignment())),
              List.of(namespace("core", c.namespace())),
              layers);
      ServedDocument document = builder.build(state, null).instance("acme-prod").document("core");
      Envelope envelope = envelope(document);

      assertThat(envelope.revision()).as(c.what()).isEqualTo(c.expected());
      assertThat(document.revision()).as(c.what()).isEqualTo(c.expected());
      assertThat(envelope.issuedAt())
          .as("%s: issued at the publish time of that revision", c.what())
          .isEqualTo(at(c.expected()));
      assertThat(document.issuedAt()).isEqualTo(at(c.expected()));
    }
  }

  @Test
  void instanceMovedToAnotherRing_getsTheNewRingsLayerAtItsAssignmentRevision() throws Exception {
    StoreState before = fleet();
    EffectiveSnapshot first = builder.build(before, null);
    List<Instance> moved = List.of(instance("acme-prod", "beta", 12), before.instances().get(1));
    StoreState after = state(moved, before.namespaces(), before.latestLayers());

    EffectiveSnapshot second = builder.build(after, first);

    ServedDocument document = second.instance("acme-prod").document("core");
    assertThat(document).isNotSameAs(first.instance("acme-prod").document("core"));
    Envelope envelope = envelope(document);
    assertThat(envelope.revision()).isEqualTo(12);
    assertThat(envelope.content().get("beta")).isEqualTo(json("true"));
    assertThat(envelope.content().has("d")).as("the live ring's layer no longer applies").isFalse();
    assertThat(second.instance("acme-prod").ring()).isEqualTo("beta");
  }

  // ------------------------------------------------------------------ the served bytes

  @Test
  void envelope_parsesBackNamingItsInstanceNamespaceRevisionAndIssuedAt() throws Exception {
    StoreState state = fleet();
    EffectiveSnapshot snapshot = builder.build(state, null);

    for (Instance instance : state.instances()) {
      ServedDocument document = snapshot.instance(instance.id()).document("core");
      Envelope envelope = envelope(document);

      assertThat(envelope.instance()).isEqualTo(instance.id());
      assertThat(envelope.namespace()).isEqualTo("core");
      assertThat(envelope.revision()).isEqualTo(document.revision());
      assertThat(envelope.issuedAt())
          .isEqualTo(document.issuedAt())
          .isEqualTo(at(document.revision()));
    }
  }

  @Test
  void etagAndDigest_areDerivedFromTheExactBody() {
    ServedDocument document = builder.build(fleet(), null).instance("acme-prod").document("core");

    ContentHash hash = ContentHash.of(document.body());
    assertThat(document.etag()).isEqualTo(hash.entityTag());
    assertThat(document.etag().weak()).isFalse();
    assertThat(document.reprDigest()).isEqualTo(hash.reprDigest());
  }

  @Test
  void differentContent_getsADifferentEtag() {
    EffectiveSnapshot snapshot = builder.build(fleet(), null);

    assertThat(snapshot.instance("acme-prod").document("core").etag())
        .isNotEqualTo(snapshot.instance("beta-co").document("core").etag());
  }

  @Test
  void signature_verifiesWithTheSignersKey_andNotOverOtherBytes() {
    ServedDocument document = builder.build(fleet(), null).instance("acme-prod").document("core");
    SignatureHeader signature = SignatureHeader.parse(document.signature());

    assertThat(signature.keyId()).isEqualTo(signer.verificationKey().keyId());
    assertThat(signer.verificationKey().verifies(document.body(), signature)).isTrue();
    byte[] tampered = document.body().clone();
    tampered[tampered.length - 2] ^= 1;
    assertThat(signer.verificationKey().verifies(tampered, signature)).isFalse();
  }

  @Test
  void checksumsDocument_listsEveryNamespacesEtagDigestAndRevision_andIsSigned() throws Exception {
    StoreState state =
        state(
            List.of(instance("acme-prod", "live", 2)),
            List.of(namespace("core", 3), namespace("features", 4), namespace("quiet", 5)),
            List.of(
                layer("core", "default", 6, "{\"a\":1}"),
                layer("features", "ring:live", 9, "{\"f\":true}")));

    InstanceView view = builder.build(state, null).instance("acme-prod");
    ServedDocument checksumDocument = view.checksums();
    Checksums checksums = Checksums.parse(checksumDocument.body(), STRICT);

    assertThat(checksums.instance()).isEqualTo("acme-prod");
    assertThat(checksums.revision()).isEqualTo(9);
    assertThat(checksumDocument.revision()).isEqualTo(9);
    assertThat(checksumDocument.issuedAt()).isEqualTo(at(9));
    assertThat(checksums.namespaces())
        .containsOnlyKeys("core", "features", "quiet", "subscriptions");
    for (String namespace : List.of("core", "features", "quiet", "subscriptions")) {
      ServedDocument document = view.document(namespace);
      assertThat(checksums.namespaces().get(namespace))
          .isEqualTo(
              new Checksums.Entry(
                  document.revision(), document.etag().toHeaderValue(), document.reprDigest()));
    }
    assertThat(checksums.namespaces().get("quiet").revision()).isEqualTo(5);
    assertThat(checksums.namespaces().get("subscriptions").revision())
        .as("no subscriptions: the assignment")
        .isEqualTo(2);
    assertThat(checksumDocument.etag())
        .isEqualTo(ContentHash.of(checksumDocument.body()).entityTag());
    assertThat(
            signer
                .verificationKey()
                .verifies(
                    checksumDocument.body(), SignatureHeader.parse(checksumDocument.signature())))
        .isTrue();
  }

  @Test
  void unknownNamespaceOrInstance_hasNoDocument() {
    EffectiveSnapshot snapshot = builder.build(fleet(), null);

    assertThat(snapshot.instance("acme-prod").document("features")).isNull();
    assertThat(snapshot.instance("nobody")).isNull();
    assertThat(snapshot.instance("acme-prod").documents())
        .containsOnlyKeys("core", "subscriptions");
  }

  // ------------------------------------------------------------------ reuse and determinism

  @Test
  void rebuildWithAnUnchangedRevision_reusesTheSignedDocuments() {
    StoreState state = fleet();
    EffectiveSnapshot first = builder.build(state, null);
    // An unrelated write elsewhere in the store: a new instance at a later revision.
    List<Instance> instances = new ArrayList<>(state.instances());
    instances.add(instance("newcomer", "test", 20));
    StoreState later = state(instances, state.namespaces(), state.latestLayers());

    EffectiveSnapshot second = builder.build(later, first);

    for (String id : List.of("acme-prod", "beta-co")) {
      assertThat(second.instance(id).document("core"))
          .isSameAs(first.instance(id).document("core"));
      assertThat(second.instance(id).checksums()).isSameAs(first.instance(id).checksums());
    }
    assertThat(second.revision()).isEqualTo(20);
    assertThat(second.instance("newcomer")).isNotNull();
  }

  @Test
  void rebuildWithAChangedRevision_rendersNewDocumentsForTheAffectedInstancesOnly()
      throws Exception {
    StoreState state = fleet();
    EffectiveSnapshot first = builder.build(state, null);
    List<LayerVersion> layers = new ArrayList<>(state.latestLayers());
    layers.removeIf(l -> l.scope().equals(Scope.ring("live")));
    layers.add(layer("core", "ring:live", 15, "{\"b\":{\"x\":11},\"d\":true,\"seats\":15}"));
    StoreState later = state(state.instances(), state.namespaces(), layers);

    EffectiveSnapshot second = builder.build(later, first);

    ServedDocument acme = second.instance("acme-prod").document("core");
    assertThat(acme).isNotSameAs(first.instance("acme-prod").document("core"));
    assertThat(acme.etag()).isNotEqualTo(first.instance("acme-prod").document("core").etag());
    assertThat(envelope(acme).content().get("b")).isEqualTo(json("{\"x\":11}"));
    assertThat(second.instance("acme-prod").checksums())
        .isNotSameAs(first.instance("acme-prod").checksums());
    assertThat(Checksums.parse(second.instance("acme-prod").checksums().body(), STRICT).revision())
        .isEqualTo(15);
    assertThat(second.instance("beta-co").document("core"))
        .isSameAs(first.instance("beta-co").document("core"));
  }

  @Test
  void newNamespace_rendersANewChecksumsDocumentEvenAtAnOlderRevision() throws Exception {
    StoreState state =
        state(
            List.of(instance("acme-prod", "live", 2)),
            List.of(namespace("core", 3)),
            List.of(layer("core", "default", 9, "{\"a\":1}")));
    EffectiveSnapshot first = builder.build(state, null);
    // A namespace whose own revision is below the instance's current maximum.
    StoreState later =
        state(
            state.instances(),
            List.of(namespace("core", 3), namespace("features", 4)),
            state.latestLayers());

    EffectiveSnapshot second = builder.build(later, first);

    Checksums checksums = Checksums.parse(second.instance("acme-prod").checksums().body(), STRICT);
    assertThat(checksums.namespaces()).containsOnlyKeys("core", "features", "subscriptions");
  }

  @Test
  void twoBuildersWithTheSameKey_produceIdenticalBytesEtagsAndSignatures() throws Exception {
    StoreState state = fleet();
    // The other replica read the same rows in another order, parsed member order differently,
    // and builds at another time.
    List<LayerVersion> shuffled = new ArrayList<>(state.latestLayers());
    Collections.shuffle(shuffled, new Random(7));
    shuffled.replaceAll(
        l ->
            l.removed()
                ? l
                : new LayerVersion(
                    l.namespace(),
                    l.scope(),
                    l.revision(),
                    reversedMembers(l.content()),
                    l.publishedAt()));
    List<Instance> instances = new ArrayList<>(state.instances());
    Collections.reverse(instances);
    StoreState sameData =
        new StoreState(
            state.revision(),
            state.rings(),
            instances,
            state.namespaces(),
            shuffled,
            state.adminCredentials(),
            state.revisionTimes(),
            state.subscriptions(),
            state.ringLayers(),
            state.ringSubscriptions(),
            state.deliveries());
    SnapshotBuilder otherReplica =
        new SnapshotBuilder(
            new DocumentSigner(keyPair),
            // Another instant, in the same freshness statement period (12 h from 00:00): the
            // checksums carry that period's window, which is the same on both.
            Clock.fixed(Instant.parse("2026-02-02T11:59:59Z"), ZoneOffset.UTC));

    EffectiveSnapshot one = builder.build(state, null);
    EffectiveSnapshot two = otherReplica.build(sameData, null);

    for (Instance instance : state.instances()) {
      InstanceView a = one.instance(instance.id());
      InstanceView b = two.instance(instance.id());
      assertThat(b.document("core").body()).isEqualTo(a.document("core").body());
      assertThat(b.document("core").etag()).isEqualTo(a.document("core").etag());
      assertThat(b.document("core").reprDigest()).isEqualTo(a.document("core").reprDigest());
      assertThat(b.document("core").signature()).isEqualTo(a.document("core").signature());
      assertThat(b.checksums().body()).isEqualTo(a.checksums().body());
      assertThat(b.checksums().signature()).isEqualTo(a.checksums().signature());
    }
    assertThat(
            new String(
                one.instance("acme-prod").document("core").body(),
                java.nio.charset.StandardCharsets.UTF_8))
        .as("canonical: members sorted, no whitespace")
        .startsWith(
            "{\"content\":{\"a\":1,\"b\":{\"x\":10},\"d\":true,\"e\":[1,2],\"seats\":12},\"format\":");
  }

  private static JsonNode reversedMembers(JsonNode node) {
    if (!node.isObject()) {
      return node;
    }
    List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
    Collections.reverse(members);
    com.fasterxml.jackson.databind.node.ObjectNode reversed = MAPPER.createObjectNode();
    for (Map.Entry<String, JsonNode> member : members) {
      reversed.set(member.getKey(), reversedMembers(member.getValue()));
    }
    return reversed;
  }

  // ------------------------------------------------------------------ one signature per build

  /** Every document of the instance: its namespaces' documents and its checksums. */
  private static List<ServedDocument> documentsOf(InstanceView view) {
    List<ServedDocument> documents = new ArrayList<>(view.documents().values());
    documents.add(view.checksums());
    return documents;
  }

  @Test
  void buildFromScratch_signsEveryDocumentWithOneTreeSignature_thatVerifiesOverEachBody() {
    EffectiveSnapshot snapshot = builder.build(fleet(), null);
    List<ServedDocument> documents = new ArrayList<>();
    for (InstanceView view : snapshot.instances().values()) {
      documents.addAll(documentsOf(view));
    }
    assertThat(documents).as("core, subscriptions and checksums of two instances").hasSize(6);

    byte[] signature = SignatureHeader.parse(documents.get(0).signature()).signature();
    for (ServedDocument document : documents) {
      SignatureHeader header = SignatureHeader.parse(document.signature());
      assertThat(header.algorithm()).isEqualTo(SignatureHeader.ED25519_TREE);
      assertThat(header.keyId()).isEqualTo(signer.verificationKey().keyId());
      assertThat(header.signature()).as("one signature for the build").isEqualTo(signature);
      assertThat(signer.verificationKey().verifies(document.body(), header)).isTrue();
    }
  }

  @Test
  void
      rebuildAfterAPublishReadBySeveralInstances_signsEveryNewDocumentWithOneSignature_andReusedOnesKeepTheirs()
          throws Exception {
    List<Instance> instances =
        List.of(
            instance("acme-prod", "live", 2),
            instance("globex", "live", 3),
            instance("initech", "live", 4),
            instance("beta-co", "beta", 5));
    List<LayerVersion> layers =
        List.of(
            layer("core", "default", 7, "{\"a\":1}"),
            layer("core", "ring:live", 8, "{\"live\":1}"),
            layer("core", "ring:beta", 9, "{\"beta\":1}"));
    StoreState before = state(instances, List.of(namespace("core", 6)), layers);
    EffectiveSnapshot first = builder.build(before, null);
    List<LayerVersion> republished = new ArrayList<>(layers);
    republished.removeIf(l -> l.scope().equals(Scope.ring("live")));
    republished.add(layer("core", "ring:live", 15, "{\"live\":2}"));
    StoreState after = state(instances, before.namespaces(), republished);

    EffectiveSnapshot second = builder.build(after, first);

    List<ServedDocument> created = new ArrayList<>();
    for (String id : List.of("acme-prod", "globex", "initech")) {
      InstanceView view = second.instance(id);
      assertThat(view.document("core")).isNotSameAs(first.instance(id).document("core"));
      assertThat(envelope(view.document("core")).content()).isEqualTo(json("{\"a\":1,\"live\":2}"));
      assertThat(view.checksums()).isNotSameAs(first.instance(id).checksums());
      created.add(view.document("core"));
      created.add(view.checksums());
    }
    byte[] rebuildSignature = SignatureHeader.parse(created.get(0).signature()).signature();
    byte[] firstSignature =
        SignatureHeader.parse(first.instance("beta-co").checksums().signature()).signature();
    assertThat(rebuildSignature).as("the rebuild signs anew").isNotEqualTo(firstSignature);
    for (ServedDocument document : created) {
      SignatureHeader header = SignatureHeader.parse(document.signature());
      assertThat(header.algorithm()).isEqualTo(SignatureHeader.ED25519_TREE);
      assertThat(header.keyId()).isEqualTo(signer.verificationKey().keyId());
      assertThat(header.signature())
          .as("one signature for every document the rebuild created")
          .isEqualTo(rebuildSignature);
      assertThat(signer.verificationKey().verifies(document.body(), header)).isTrue();
    }
    assertThat(
            signer
                .verificationKey()
                .verifies(created.get(1).body(), SignatureHeader.parse(created.get(0).signature())))
        .as("each proof leads from its own body only")
        .isFalse();

    // Reused: beta-co reads no live layer, and nobody's subscriptions changed.
    record Kept(String what, ServedDocument before, ServedDocument after) {}
    List<Kept> kept =
        new ArrayList<>(
            List.of(
                new Kept(
                    "beta-co/core",
                    first.instance("beta-co").document("core"),
                    second.instance("beta-co").document("core")),
                new Kept(
                    "beta-co/checksums",
                    first.instance("beta-co").checksums(),
                    second.instance("beta-co").checksums())));
    for (String id : List.of("acme-prod", "globex", "initech", "beta-co")) {
      kept.add(
          new Kept(
              id + "/subscriptions",
              first.instance(id).document("subscriptions"),
              second.instance(id).document("subscriptions")));
    }
    for (Kept k : kept) {
      assertThat(k.after()).as(k.what()).isSameAs(k.before());
      assertThat(k.after().signature())
          .as("%s keeps its header", k.what())
          .isEqualTo(k.before().signature());
      assertThat(SignatureHeader.parse(k.after().signature()).signature())
          .as(k.what())
          .isEqualTo(firstSignature);
    }
  }

  // ------------------------------------------------------------------ the subscriptions document

  @Nested
  class SubscriptionsDocument {

    private static final String NAMESPACE = "subscriptions";

    private static Subscription subscription(
        String id,
        String instance,
        String application,
        SubscriptionStatus status,
        String from,
        String until,
        long revision) {
      return new Subscription(
          id,
          instance,
          application,
          25,
          2,
          SeatModel.NAMED,
          status,
          Instant.parse(from),
          until == null ? null : Instant.parse(until),
          "enterprise",
          "renewal agreed with Jo",
          revision,
          at(revision),
          at(revision));
    }

    /**
     * {@code base} plus subscriptions, with the state's revision and times extended to cover them.
     */
    private static StoreState with(StoreState base, Subscription... subscriptions) {
      long revision =
          Math.max(
              base.revision(),
              Stream.of(subscriptions).mapToLong(Subscription::revision).max().orElse(0));
      Map<Long, Instant> times =
          LongStream.rangeClosed(1, revision)
              .boxed()
              .collect(Collectors.toMap(r -> r, SnapshotBuilderTest::at));
      return new StoreState(
          revision,
          base.rings(),
          base.instances(),
          base.namespaces(),
          base.latestLayers(),
          base.adminCredentials(),
          times,
          List.of(subscriptions),
          List.of(),
          List.of(),
          List.of());
    }

    private static String content(ServedDocument document) throws JsonInputException {
      return new String(
          io.holdfast.protocol.json.CanonicalJson.toBytes(envelope(document).content()),
          java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void everyInstance_getsTheReservedNamespace_emptyWithoutSubscriptions() throws Exception {
      EffectiveSnapshot snapshot = builder.build(fleet(), null);

      ServedDocument document = snapshot.instance("beta-co").document(NAMESPACE);
      Envelope envelope = envelope(document);
      assertThat(envelope.instance()).isEqualTo("beta-co");
      assertThat(envelope.namespace()).isEqualTo(NAMESPACE);
      assertThat(content(document)).isEqualTo("{\"applications\":{}}");
      assertThat(document.revision()).as("the instance's assignment revision").isEqualTo(3);
      assertThat(envelope.issuedAt()).isEqualTo(at(3));
      assertThat(
              signer
                  .verificationKey()
                  .verifies(document.body(), SignatureHeader.parse(document.signature())))
          .isTrue();
    }

    @Test
    void content_listsEveryStatusAndPeriodPerApplication_sortedByStart_withoutNotes()
        throws Exception {
      StoreState state =
          with(
              fleet(),
              subscription(
                  "s-later",
                  "acme-prod",
                  "crm",
                  SubscriptionStatus.ACTIVE,
                  "2027-01-01T00:00:00Z",
                  null,
                  11),
              subscription(
                  "s-now",
                  "acme-prod",
                  "crm",
                  SubscriptionStatus.SUSPENDED,
                  "2026-01-01T00:00:00Z",
                  "2027-01-01T00:00:00Z",
                  10),
              subscription(
                  "s-gone",
                  "acme-prod",
                  "billing",
                  SubscriptionStatus.CANCELLED,
                  "2025-01-01T00:00:00Z",
                  "2026-01-01T00:00:00Z",
                  9),
              subscription(
                  "s-other",
                  "beta-co",
                  "crm",
                  SubscriptionStatus.ACTIVE,
                  "2026-01-01T00:00:00Z",
                  null,
                  12));

      EffectiveSnapshot snapshot = builder.build(state, null);

      assertThat(content(snapshot.instance("acme-prod").document(NAMESPACE)))
          .isEqualTo(
              "{\"applications\":{"
                  + "\"billing\":[{\"id\":\"s-gone\",\"overage\":2,\"plan\":\"enterprise\",\"quantity\":25,\"seatModel\":\"named\","
                  + "\"status\":\"cancelled\",\"validFrom\":\"2025-01-01T00:00:00Z\",\"validUntil\":\"2026-01-01T00:00:00Z\"}],"
                  + "\"crm\":[{\"id\":\"s-now\",\"overage\":2,\"plan\":\"enterprise\",\"quantity\":25,\"seatModel\":\"named\","
                  + "\"status\":\"suspended\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":\"2027-01-01T00:00:00Z\"},"
                  + "{\"id\":\"s-later\",\"overage\":2,\"plan\":\"enterprise\",\"quantity\":25,\"seatModel\":\"named\","
                  + "\"status\":\"active\",\"validFrom\":\"2027-01-01T00:00:00Z\",\"validUntil\":null}]}}");
      assertThat(
              new String(
                  snapshot.instance("acme-prod").document(NAMESPACE).body(),
                  java.nio.charset.StandardCharsets.UTF_8))
          .doesNotContain("renewal agreed");
      assertThat(content(snapshot.instance("beta-co").document(NAMESPACE)))
          .contains("s-other")
          .doesNotContain("s-now");
    }

    @Test
    void revision_isTheHighestOfTheInstancesSubscriptions_andRisesWithAnyChange() throws Exception {
      Subscription crm =
          subscription(
              "s-1",
              "acme-prod",
              "crm",
              SubscriptionStatus.ACTIVE,
              "2026-01-01T00:00:00Z",
              null,
              10);
      Subscription other =
          subscription(
              "s-2", "beta-co", "crm", SubscriptionStatus.ACTIVE, "2026-01-01T00:00:00Z", null, 11);
      EffectiveSnapshot first = builder.build(with(fleet(), crm, other), null);
      ServedDocument before = first.instance("acme-prod").document(NAMESPACE);
      assertThat(before.revision()).isEqualTo(10);
      assertThat(envelope(before).issuedAt()).isEqualTo(at(10));

      Subscription suspended =
          new Subscription(
              crm.id(),
              crm.instance(),
              crm.application(),
              crm.quantity(),
              crm.overage(),
              crm.seatModel(),
              SubscriptionStatus.SUSPENDED,
              crm.validFrom(),
              crm.validUntil(),
              crm.plan(),
              crm.notes(),
              12,
              crm.createdAt(),
              at(12));
      EffectiveSnapshot second = builder.build(with(fleet(), suspended, other), first);

      ServedDocument after = second.instance("acme-prod").document(NAMESPACE);
      assertThat(after.revision()).isEqualTo(12);
      assertThat(after.etag()).isNotEqualTo(before.etag());
      assertThat(content(after)).contains("\"status\":\"suspended\"");
      assertThat(
              Checksums.parse(second.instance("acme-prod").checksums().body(), STRICT)
                  .namespaces()
                  .get(NAMESPACE)
                  .etag())
          .isEqualTo(after.etag().toHeaderValue());
      assertThat(second.instance("beta-co").document(NAMESPACE))
          .as("an instance whose subscriptions did not change keeps its signed document")
          .isSameAs(first.instance("beta-co").document(NAMESPACE));
    }

    @Test
    void twoBuilders_produceIdenticalBytesForTheSameSubscriptions_inAnyOrder() {
      Subscription a =
          subscription(
              "s-a",
              "acme-prod",
              "crm",
              SubscriptionStatus.ACTIVE,
              "2026-01-01T00:00:00Z",
              "2026-07-01T00:00:00Z",
              10);
      Subscription b =
          subscription(
              "s-b",
              "acme-prod",
              "crm",
              SubscriptionStatus.ACTIVE,
              "2026-07-01T00:00:00Z",
              null,
              11);
      SnapshotBuilder otherReplica =
          new SnapshotBuilder(
              new DocumentSigner(keyPair),
              // Another instant, in the same freshness statement period (12 h from 00:00): the
              // checksums carry that period's window, which is the same on both.
              Clock.fixed(Instant.parse("2026-02-02T11:59:59Z"), ZoneOffset.UTC));

      ServedDocument one =
          builder.build(with(fleet(), a, b), null).instance("acme-prod").document(NAMESPACE);
      ServedDocument two =
          otherReplica.build(with(fleet(), b, a), null).instance("acme-prod").document(NAMESPACE);

      assertThat(two.body()).isEqualTo(one.body());
      assertThat(two.etag()).isEqualTo(one.etag());
      assertThat(two.signature()).isEqualTo(one.signature());
    }

    @Test
    void aStoredNamespaceOfTheReservedName_isIgnored() throws Exception {
      StoreState base = fleet();
      List<Namespace> namespaces = new ArrayList<>(base.namespaces());
      namespaces.add(namespace(NAMESPACE, 8));
      List<LayerVersion> layers = new ArrayList<>(base.latestLayers());
      layers.add(layer(NAMESPACE, "default", 8, "{\"applications\":{\"forged\":[]}}"));

      EffectiveSnapshot snapshot = builder.build(state(base.instances(), namespaces, layers), null);

      assertThat(content(snapshot.instance("acme-prod").document(NAMESPACE)))
          .isEqualTo("{\"applications\":{}}");
    }
  }

  // ------------------------------------------------------------------ snapshot metadata

  @Test
  void credentialHashes_mapToTheirInstancesAndAdmins() {
    AdminCredential ops = new AdminCredential("ops", Role.EDITOR, "admin-hash-ops", at(1));
    StoreState base = fleet();
    StoreState state =
        state(base.instances(), base.namespaces(), base.latestLayers(), List.of(ops));

    EffectiveSnapshot snapshot = builder.build(state, null);

    assertThat(snapshot.instancesByCredential())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("hash-acme-prod", "acme-prod", "hash-beta-co", "beta-co"));
    assertThat(snapshot.adminsByCredential())
        .containsExactlyEntriesOf(Map.of("admin-hash-ops", ops));
  }

  @Test
  void snapshot_carriesTheStoreRevisionAndItsBuildTime() {
    EffectiveSnapshot snapshot = builder.build(fleet(), null);

    assertThat(snapshot.revision()).isEqualTo(8);
    assertThat(snapshot.builtAt()).isEqualTo(CLOCK.instant());
    assertThat(snapshot.instances()).containsOnlyKeys("acme-prod", "beta-co");
    assertThat(snapshot.instance("beta-co").ring()).isEqualTo("beta");
  }

  @Test
  void stateWithoutThePublishTimeOfARevision_isRefusedRatherThanServedWithAGuessedTime() {
    StoreState complete = fleet();
    Map<Long, Instant> times = new java.util.HashMap<>(complete.revisionTimes());
    times.remove(8L);
    StoreState incomplete =
        new StoreState(
            complete.revision(),
            complete.rings(),
            complete.instances(),
            complete.namespaces(),
            complete.latestLayers(),
            complete.adminCredentials(),
            times,
            List.of(),
            List.of(),
            List.of(),
            List.of());

    assertThatThrownBy(() -> builder.build(incomplete, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("8");
  }
}

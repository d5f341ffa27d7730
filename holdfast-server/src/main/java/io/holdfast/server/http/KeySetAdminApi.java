package io.holdfast.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.keyset.SignedKeySet;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.keyset.KeySetPublication;
import io.holdfast.server.keyset.PublishedKeySets;

/**
 * {@code PUT /v1/admin/keyset} (admin): publishes a root-signed key set. The body is the signed key
 * set itself, at most {@link SignedKeySet#MAX_BYTES}, kept and served byte for byte. 201 when it
 * was stored, 200 when the newest stored one is these very bytes already; refusals are problems
 * naming the verifier's reason ({@link io.holdfast.server.keyset.KeySetStore#publish}).
 */
final class KeySetAdminApi implements HttpService {

  private final AdminContext ctx;
  private final PublishedKeySets keySets;

  KeySetAdminApi(AdminContext ctx, PublishedKeySets keySets) {
    this.ctx = ctx;
    this.keySets = keySets;
  }

  @Override
  public void routing(HttpRules rules) {
    ctx.gate()
        .routes(rules, "/v1/admin/keyset")
        .add(AdminOperation.PUBLISH_KEYSET, this::publish)
        .done();
  }

  private void publish(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    byte[] body = ctx.bodies().raw(req, SignedKeySet.MAX_BYTES);
    KeySetPublication publication = keySets.publish(body, admin.actor());
    ObjectNode answer = JsonViews.object();
    answer.put("version", publication.version());
    answer.put("created", publication.created());
    JsonViews.send(res, publication.created() ? Status.CREATED_201 : Status.OK_200, answer);
  }
}

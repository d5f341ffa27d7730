package io.holdfast.server.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.admin.AdminTurn;
import io.holdfast.server.admin.ReadYourWrites;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.model.Role;
import java.util.List;

/**
 * The gate in front of every admin route: it authenticates the request, checks the role the
 * operation table ({@link AdminOperation}) declares, and, for an operation that writes, makes this
 * replica serve the write before a successful answer goes out. Handlers behind it neither check
 * roles nor refresh anything. Thread-safe.
 */
final class AdminGate {

  /** A handler behind the gate: {@code admin} is already authenticated and authorised. */
  @FunctionalInterface
  interface AdminHandler {
    void handle(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin);
  }

  private final RequestGuard guard;
  private final ReadYourWrites writes;

  AdminGate(RequestGuard guard, ReadYourWrites writes) {
    this.guard = guard;
    this.writes = writes;
  }

  /** Registers routes into {@code rules}, a service mounted at {@code mount}, from the table. */
  AdminRoutes routes(HttpRules rules, String mount) {
    return new AdminRoutes(rules, mount, this);
  }

  /**
   * {@code handler} behind the gate for {@code operations}, which share one route. With one
   * operation the gate checks its role. With several, which one a request is depends on its body:
   * the gate only authenticates, and the handler authorises the one it finds ({@link
   * AdminOperation#authorize}).
   */
  Handler gated(List<AdminOperation> operations, AdminHandler handler) {
    Role role = operations.size() == 1 ? operations.get(0).role() : Role.VIEWER;
    AdminOperation write =
        operations.stream().filter(AdminOperation::writes).findFirst().orElse(null);
    return (req, res) -> {
      Principal.AdminPrincipal admin = guard.admin(req, role);
      if (write != null) {
        // Before the answer is sent, so a client that reads after its write sees it here; only
        // after success, since a refused write changed nothing.
        res.beforeSend(
            () -> {
              if (res.status().family() == Status.Family.SUCCESSFUL) {
                writes.after(write, AdminTurn.of(req.context()));
              }
            });
      }
      handler.handle(req, res, admin);
    };
  }
}

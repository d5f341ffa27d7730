package io.holdfast.server.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.holdfast.server.admin.AdminOperation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One admin service's routes, registered from the operation table: each operation at its method and
 * path behind the {@link AdminGate}, and, once all are added, a 405 naming the allowed methods on
 * each path. Not thread-safe; used while routing is built.
 */
final class AdminRoutes {

  private final HttpRules rules;
  private final String mount;
  private final AdminGate gate;
  private final Map<String, List<String>> methods = new LinkedHashMap<>();

  AdminRoutes(HttpRules rules, String mount, AdminGate gate) {
    this.rules = rules;
    this.mount = mount;
    this.gate = gate;
  }

  AdminRoutes add(AdminOperation operation, AdminGate.AdminHandler handler) {
    return add(List.of(operation), handler);
  }

  /** Operations that share one route; see {@link AdminGate#gated}. */
  AdminRoutes add(List<AdminOperation> operations, AdminGate.AdminHandler handler) {
    AdminOperation first = operations.get(0);
    for (AdminOperation operation : operations) {
      if (!operation.method().equals(first.method()) || !operation.path().equals(first.path())) {
        throw new IllegalArgumentException(operations + " do not share one route");
      }
    }
    String path = relative(first);
    rules.route(Method.create(first.method()), path, gate.gated(operations, handler));
    methods.computeIfAbsent(path, p -> new ArrayList<>()).add(first.method());
    return this;
  }

  /** Answers every other method on the paths added so far with 405 and their {@code Allow}. */
  void done() {
    methods.forEach(
        (path, allowed) -> rules.any(path, Routes.methodNotAllowed(String.join(", ", allowed))));
  }

  private String relative(AdminOperation operation) {
    if (!operation.path().startsWith(mount)) {
      throw new IllegalArgumentException(
          operation + " at " + operation.path() + " is not under " + mount);
    }
    String path = operation.path().substring(mount.length());
    return path.isEmpty() ? "/" : path;
  }
}

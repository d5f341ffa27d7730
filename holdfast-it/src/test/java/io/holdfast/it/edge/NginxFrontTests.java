package io.holdfast.it.edge;

import java.nio.file.Path;

/** {@link ProxyFrontTests} through Debian's nginx; each subclass is one nginx configuration. */
abstract class NginxFrontTests extends ProxyFrontTests {

  /**
   * The nginx {@code http} block's contents in front of {@code replicas}; {@code listen LISTEN;} in
   * the server.
   */
  abstract String httpBlock(TwoTenantReplicas replicas);

  @Override
  ProxyFront startProxy(Path dir, TwoTenantReplicas replicas) throws Exception {
    return Nginx.start(dir, httpBlock(replicas));
  }
}

/**
 * For Holdfast's tests and applications' own: fixed documents behind the SDK's read API, a
 * fault-injecting replica proxy, manual time and a throwaway PKI.
 */
module io.holdfast.testkit {
  requires transitive io.holdfast.client;
  // FaultyReplica hands out the HTTP client's headers.
  requires transitive java.net.http;

  exports io.holdfast.testkit;
}

/**
 * Holdfast's wire types, shared by the server and the client: the signed envelope and checksums,
 * entity tags, digests and headers, strict and canonical JSON, problem details, signatures, CA
 * bundles, and the root-signed key sets that say which signing keys to trust. Every package is API:
 * the server, the SDK and the tools all speak it.
 */
module io.holdfast.protocol {
  requires transitive com.fasterxml.jackson.databind;

  exports io.holdfast.protocol.document;
  exports io.holdfast.protocol.http;
  exports io.holdfast.protocol.json;
  exports io.holdfast.protocol.keyset;
  exports io.holdfast.protocol.problem;
  exports io.holdfast.protocol.signature;
  exports io.holdfast.protocol.tls;
}

package io.holdfast.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.json.SharedJsonBuffers;
import io.holdfast.server.audit.AuditChainVerifier;
import io.holdfast.server.audit.AuditEntry;
import io.holdfast.server.audit.AuditHash;
import io.holdfast.server.audit.AuditQuery;
import io.holdfast.server.audit.AuditVerification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL for the hash-chained {@code audit_log}. Rows are appended inside the caller's write
 * transaction, so a change and its audit row commit or roll back together. Appending reads the last
 * row's hash; the writer holds the write lock for the whole transaction, and {@code prev_hash} is
 * unique, so concurrent writers cannot fork the chain. Stateless.
 */
public final class AuditTable {

  private static final ObjectMapper MAPPER = SharedJsonBuffers.mapper();
  private static final String COLUMNS =
      "seq, at, actor, action, target, before, after, prev_hash, hash";

  private AuditTable() {}

  public static AuditEntry append(
      Connection c,
      Instant at,
      String actor,
      String action,
      String target,
      JsonNode before,
      JsonNode after)
      throws SQLException {
    long seq = 1;
    String prevHash = AuditHash.GENESIS;
    try (PreparedStatement ps =
            c.prepareStatement("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        seq = rs.getLong(1) + 1;
        prevHash = rs.getString(2);
      }
    }
    String beforeText = AuditHash.text(before);
    String afterText = AuditHash.text(after);
    String hash = AuditHash.of(seq, at, actor, action, target, beforeText, afterText, prevHash);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, seq);
      ps.setString(2, at.toString());
      ps.setString(3, actor);
      ps.setString(4, action);
      ps.setString(5, target);
      ps.setString(6, beforeText);
      ps.setString(7, afterText);
      ps.setString(8, prevHash);
      ps.setString(9, hash);
      ps.executeUpdate();
    }
    return new AuditEntry(
        seq, at, actor, action, target, copy(before), copy(after), prevHash, hash);
  }

  static List<AuditEntry> query(Connection c, AuditQuery query) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE 1 = 1");
    List<String> parameters = new ArrayList<>();
    if (query.action() != null) {
      sql.append(" AND action = ?");
      parameters.add(query.action());
    }
    if (query.target() != null) {
      if (query.target().endsWith(":")) {
        // A prefix names a kind of target; substr avoids LIKE's wildcards in the value.
        sql.append(" AND substr(target, 1, CAST(? AS INTEGER)) = ?");
        parameters.add(Integer.toString(query.target().length()));
      } else {
        sql.append(" AND target = ?");
      }
      parameters.add(query.target());
    }
    if (query.actor() != null) {
      sql.append(" AND actor = ?");
      parameters.add(query.actor());
    }
    sql.append(" ORDER BY seq DESC");
    List<AuditEntry> entries = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < parameters.size(); i++) {
        ps.setString(i + 1, parameters.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next() && entries.size() < query.limit()) {
          AuditEntry entry = entry(rs);
          // Stored instants drop trailing zero fractions (Instant.toString), so they do not
          // compare correctly as text: compare them as instants here.
          if (query.since() == null || !entry.at().isBefore(query.since())) {
            entries.add(entry);
          }
        }
      }
    }
    return entries;
  }

  /**
   * Feeds {@code verifier} the rows from its first one on, in order; the primary key finds the
   * first.
   */
  static AuditVerification walk(Connection c, AuditChainVerifier verifier) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log WHERE seq >= ? ORDER BY seq")) {
      ps.setLong(1, verifier.firstSeq());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          verifier.accept(entry(rs), rs.getString(6), rs.getString(7));
        }
      }
    }
    return verifier.result();
  }

  private static AuditEntry entry(ResultSet rs) throws SQLException {
    return new AuditEntry(
        rs.getLong(1),
        Instant.parse(rs.getString(2)),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        parse(rs.getString(6)),
        parse(rs.getString(7)),
        rs.getString(8),
        rs.getString(9));
  }

  private static JsonNode parse(String text) throws SQLException {
    if (text == null) {
      return null;
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      // A row edited into invalid JSON is still shown (as text) so that verification can report it.
      return MAPPER.getNodeFactory().textNode(text);
    }
  }

  private static JsonNode copy(JsonNode node) {
    return node == null ? null : node.deepCopy();
  }
}

package io.holdfast.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Small statements every table class needs. Stateless. */
final class Rows {

  private Rows() {}

  /** Whether {@code sql}, with {@code key} as its one parameter, finds a row. */
  static boolean exists(Connection c, String sql, Object key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}

package io.holdfast.server.window;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The {@code blackouts} table, inside the caller's transaction. Stateless. */
public final class BlackoutTable {

  private BlackoutTable() {}

  /** Every blackout, oldest first. */
  public static List<StoredBlackout> all(Connection c) throws SQLException {
    List<StoredBlackout> all = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, level, target, first_day, last_day, zone, reason, created_at"
                    + " FROM blackouts ORDER BY id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        all.add(
            new StoredBlackout(
                rs.getLong(1),
                BlackoutLevel.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)),
                rs.getString(3),
                new Blackout(
                    LocalDate.parse(rs.getString(4)),
                    LocalDate.parse(rs.getString(5)),
                    Optional.ofNullable(rs.getString(6)).map(ZoneId::of),
                    rs.getString(7)),
                Instant.parse(rs.getString(8))));
      }
    }
    return all;
  }

  /** How many blackouts the level and target already have. */
  public static int count(Connection c, BlackoutLevel level, String target) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT count(*) FROM blackouts WHERE level = ? AND target = ?")) {
      ps.setString(1, level.name().toLowerCase(Locale.ROOT));
      ps.setString(2, target);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Adds a blackout; returns its id. */
  public static long insert(
      Connection c, BlackoutLevel level, String target, Blackout blackout, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO blackouts (level, target, first_day, last_day, zone, reason, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
      ps.setString(1, level.name().toLowerCase(Locale.ROOT));
      ps.setString(2, target);
      ps.setString(3, blackout.from().toString());
      ps.setString(4, blackout.to().toString());
      ps.setString(5, blackout.zone().map(ZoneId::getId).orElse(null));
      ps.setString(6, blackout.reason());
      ps.setString(7, now.toString());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Removes a blackout; returns whether it existed. */
  public static boolean delete(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM blackouts WHERE id = ?")) {
      ps.setLong(1, id);
      return ps.executeUpdate() == 1;
    }
  }
}

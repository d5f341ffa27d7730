package io.holdfast.server.store;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.subscription.Application;
import io.holdfast.server.subscription.SeatModel;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionFilter;
import io.holdfast.server.subscription.SubscriptionStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL for {@code applications} and {@code subscriptions}, run inside the caller's transaction.
 * Checks of existence and overlap belong to the caller. Stateless.
 */
public final class SubscriptionTables {

  private static final String SUBSCRIPTION_COLUMNS =
      "id, instance, application, quantity, overage, seat_model,"
          + " status, valid_from, valid_until, plan, notes, revision, created_at, updated_at";

  private SubscriptionTables() {}

  public static List<Application> applications(Connection c, String name) throws SQLException {
    List<Application> applications = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT name, display_name, revision, created_at, updated_at FROM applications"
                + (name == null ? "" : " WHERE name = ?")
                + " ORDER BY name")) {
      if (name != null) {
        ps.setString(1, name);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          applications.add(
              new Application(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getLong(3),
                  Instant.parse(rs.getString(4)),
                  Instant.parse(rs.getString(5))));
        }
      }
    }
    return applications;
  }

  static void insertApplication(Connection c, Application application) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO applications (name, display_name, revision, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, application.name());
      ps.setString(2, application.displayName());
      ps.setLong(3, application.revision());
      ps.setString(4, application.createdAt().toString());
      ps.setString(5, application.updatedAt().toString());
      ps.executeUpdate();
    }
  }

  static void updateApplication(Connection c, Application application) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE applications SET display_name = ?, revision = ?, updated_at = ? WHERE name = ?")) {
      ps.setString(1, application.displayName());
      ps.setLong(2, application.revision());
      ps.setString(3, application.updatedAt().toString());
      ps.setString(4, application.name());
      ps.executeUpdate();
    }
  }

  /** Subscriptions matching {@code filter}, ordered by instance, application, start and id. */
  public static List<Subscription> subscriptions(Connection c, SubscriptionFilter filter)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder("SELECT " + SUBSCRIPTION_COLUMNS + " FROM subscriptions WHERE 1 = 1");
    List<String> parameters = new ArrayList<>();
    if (filter.instance() != null) {
      sql.append(" AND instance = ?");
      parameters.add(filter.instance());
    }
    if (filter.application() != null) {
      sql.append(" AND application = ?");
      parameters.add(filter.application());
    }
    if (filter.status() != null) {
      sql.append(" AND status = ?");
      parameters.add(filter.status().wireName());
    }
    sql.append(" ORDER BY instance, application, valid_from, id");
    return select(c, sql.toString(), parameters);
  }

  public static List<Subscription> subscription(Connection c, String id) throws SQLException {
    return select(
        c, "SELECT " + SUBSCRIPTION_COLUMNS + " FROM subscriptions WHERE id = ?", List.of(id));
  }

  /**
   * @throws ProblemException {@code APPLICATION_NOT_FOUND}
   */
  public static Application requireApplication(Connection c, String name) throws SQLException {
    return applications(c, name).stream()
        .findFirst()
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.APPLICATION_NOT_FOUND,
                    "application '" + name + "' does not exist"));
  }

  /** The subscriptions of the same instance and application, which it must not overlap. */
  public static List<Subscription> siblings(Connection c, Subscription subscription)
      throws SQLException {
    return subscriptions(
        c, new SubscriptionFilter(subscription.instance(), subscription.application(), null));
  }

  /**
   * The subscriptions a revision after {@code revision} created or changed, in the order of {@link
   * #subscriptions}: every change stamps the row with its revision, and none is ever deleted.
   */
  static List<Subscription> changedSince(Connection c, long revision) throws SQLException {
    return select(
        c,
        "SELECT "
            + SUBSCRIPTION_COLUMNS
            + " FROM subscriptions WHERE revision > "
            + revision
            + " ORDER BY instance, application, valid_from, id",
        List.of());
  }

  /** The subscriptions whose ids {@code idQuery} (a query without parameters) selects. */
  static List<Subscription> subscriptionsIn(Connection c, String idQuery) throws SQLException {
    return select(
        c,
        "SELECT " + SUBSCRIPTION_COLUMNS + " FROM subscriptions WHERE id IN (" + idQuery + ")",
        List.of());
  }

  public static void insertSubscription(Connection c, Subscription s) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO subscriptions ("
                + SUBSCRIPTION_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, s.id());
      ps.setString(2, s.instance());
      ps.setString(3, s.application());
      ps.setLong(4, s.quantity());
      ps.setLong(5, s.overage());
      ps.setString(6, s.seatModel().wireName());
      ps.setString(7, s.status().wireName());
      ps.setString(8, s.validFrom().toString());
      ps.setString(9, s.validUntil() == null ? null : s.validUntil().toString());
      ps.setString(10, s.plan());
      ps.setString(11, s.notes());
      ps.setLong(12, s.revision());
      ps.setString(13, s.createdAt().toString());
      ps.setString(14, s.updatedAt().toString());
      ps.executeUpdate();
    }
  }

  public static void updateSubscription(Connection c, Subscription s) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE subscriptions SET quantity = ?, overage = ?, status = ?, valid_until = ?, plan = ?, notes = ?,"
                + " revision = ?, updated_at = ? WHERE id = ?")) {
      ps.setLong(1, s.quantity());
      ps.setLong(2, s.overage());
      ps.setString(3, s.status().wireName());
      ps.setString(4, s.validUntil() == null ? null : s.validUntil().toString());
      ps.setString(5, s.plan());
      ps.setString(6, s.notes());
      ps.setLong(7, s.revision());
      ps.setString(8, s.updatedAt().toString());
      ps.setString(9, s.id());
      ps.executeUpdate();
    }
  }

  private static List<Subscription> select(Connection c, String sql, List<String> parameters)
      throws SQLException {
    List<Subscription> subscriptions = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        ps.setString(i + 1, parameters.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String until = rs.getString(9);
          subscriptions.add(
              new Subscription(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getLong(5),
                  SeatModel.fromWire(rs.getString(6)),
                  SubscriptionStatus.fromWire(rs.getString(7)),
                  Instant.parse(rs.getString(8)),
                  until == null ? null : Instant.parse(until),
                  rs.getString(10),
                  rs.getString(11),
                  rs.getLong(12),
                  Instant.parse(rs.getString(13)),
                  Instant.parse(rs.getString(14))));
        }
      }
    }
    return subscriptions;
  }
}

package io.holdfast.cli.soak;

/** Where the soak's replicas keep their data. */
enum StoreKind {
  /** Several replica processes over one SQLite data directory, as on one host. */
  SQLITE,
  /** Replica processes over one PostgreSQL database, each through a relay the nemesis can cut. */
  POSTGRES
}

package io.holdfast.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest, so it is never out of step with the build. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = HoldfastCommand.class.getPackage().getImplementationVersion();
    return new String[] {"holdfast " + (version == null ? "development build" : version)};
  }
}

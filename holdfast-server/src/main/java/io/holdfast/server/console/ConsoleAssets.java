package io.holdfast.server.console;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.http.ContentHash;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The console's stylesheet and script, shipped inside the jar and read once at start. Pages link
 * them as {@code /console/assets/<name>?v=<content hash>}: with the hash, a browser may keep them
 * for a year, and a new release changes the URL. Immutable.
 */
final class ConsoleAssets {

  private record Asset(byte[] body, String contentType, String version) {}

  private final Map<String, Asset> assets;

  private ConsoleAssets(Map<String, Asset> assets) {
    this.assets = assets;
  }

  static ConsoleAssets load() {
    return new ConsoleAssets(
        Map.of(
            "console.css", asset("console.css", "text/css; charset=utf-8"),
            "console.js", asset("console.js", "text/javascript; charset=utf-8")));
  }

  /** The URL of an asset, versioned by its content. */
  String url(String name) {
    return "/console/assets/" + name + "?v=" + assets.get(name).version();
  }

  void serve(ServerRequest req, ServerResponse res) {
    Asset asset = assets.get(req.path().pathParameters().get("name"));
    ConsoleResponses.secure(res);
    if (asset == null) {
      res.status(Status.NOT_FOUND_404).header(HeaderNames.CACHE_CONTROL, "no-store").send();
      return;
    }
    boolean current = req.query().first("v").map(asset.version()::equals).orElse(false);
    res.header(
        HeaderNames.CACHE_CONTROL, current ? "public, max-age=31536000, immutable" : "no-cache");
    res.header(HeaderNames.ETAG, "\"" + asset.version() + "\"");
    res.header(HeaderNames.CONTENT_TYPE, asset.contentType());
    res.send(asset.body());
  }

  private static Asset asset(String name, String contentType) {
    try (InputStream in = ConsoleAssets.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("console asset " + name + " is missing from the jar");
      }
      byte[] body = in.readAllBytes();
      return new Asset(body, contentType, ContentHash.of(body).hex().substring(0, 16));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read console asset " + name, e);
    }
  }
}

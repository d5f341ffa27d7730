package io.holdfast.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With Helidon's own response header check off, every header that is not pre-encoded is still
 * validated before it is written, a pre-encoded one is validated when it is built, and both send
 * listeners are called.
 */
class ResponseHeaderCheckTest {

  private final ResponseHeaderCheck check = new ResponseHeaderCheck();

  @Test
  void aHeaderBuiltFromAString_withAControlCharacter_failsTheResponse() {
    WritableHeaders<?> headers = WritableHeaders.create();
    headers.set(HeaderValues.create(HeaderNames.LOCATION, "/v1/admin/x\r\nSet-Cookie: a=b"));
    assertThatThrownBy(() -> check.headers(null, headers))
        .isInstanceOf(IllegalArgumentException.class);

    WritableHeaders<?> badName = WritableHeaders.create();
    badName.set(HeaderValues.create(HeaderNames.create("Bad Name"), "x"));
    assertThatThrownBy(() -> check.headers(null, badName))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void validHeaders_passBothKinds() {
    WritableHeaders<?> headers = WritableHeaders.create();
    headers.set(HeaderValues.create(HeaderNames.LOCATION, "/v1/admin/namespaces/core"));
    headers.set(ResponseHeaderCheck.preEncoded(HeaderNames.ETAG, "\"abc\""));
    check.headers(null, headers);
  }

  @Test
  void aPreEncodedHeader_isValidatedWhenItIsBuilt() {
    assertThatThrownBy(() -> ResponseHeaderCheck.preEncoded(HeaderNames.ETAG, "\"a\"\r\nX: y"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyListener_isToldTheStatusAndThenTheHeaders() {
    List<String> calls = new ArrayList<>();
    Http1ConnectionListener first = recording("first", calls);
    Http1ConnectionListener second = recording("second", calls);
    SendListeners both = new SendListeners(first, second);

    both.status(null, Status.NOT_MODIFIED_304);
    both.headers(null, WritableHeaders.create());

    assertThat(calls)
        .containsExactly(
            "first status 304", "second status 304", "first headers", "second headers");
  }

  private static Http1ConnectionListener recording(String name, List<String> calls) {
    return new Http1ConnectionListener() {
      @Override
      public void status(ConnectionContext ctx, Status status) {
        calls.add(name + " status " + status.code());
      }

      @Override
      public void headers(ConnectionContext ctx, Headers headers) {
        calls.add(name + " headers");
      }
    };
  }
}

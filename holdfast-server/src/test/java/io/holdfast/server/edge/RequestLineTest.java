package io.holdfast.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestLineTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "GET /v1/keys HTTP/1.1|HTTP_1_1",
        "GET /v1/keys HTTP/1.0|HTTP_1_0",
        "POST /v1/admin/instances?x=1 HTTP/1.0|HTTP_1_0",
        "GET /v1/keys HTTP/2.0|OTHER_VERSION",
        "GET /v1/keys HTTP/1.2|OTHER_VERSION",
        "GET /v1/keys HTTP/11|MALFORMED",
        "GET /v1/keys FTP/1.1|MALFORMED",
        "GET /v1/keys|MALFORMED",
        "GET|MALFORMED",
        "'G\u0000T /v1/keys HTTP/1.1'|BAD_METHOD",
        "'G(T /v1/keys HTTP/1.1'|BAD_METHOD",
        "GET /a\u0001b HTTP/1.1|MALFORMED",
        "' GET /v1/keys HTTP/1.1'|MALFORMED",
        "'GET /v1/keys HTTP/1.1 '|MALFORMED",
        "FOO /v1/keys HTTP/1.1|HTTP_1_1",
      })
  void parse_judgesEachLine(String line, RequestLine.Verdict verdict) {
    assertThat(RequestLine.parse(line.getBytes(StandardCharsets.ISO_8859_1)).verdict())
        .isEqualTo(verdict);
  }

  @ParameterizedTest
  @CsvSource({"GET,/health/live", "DELETE,/v1/admin/credentials/x"})
  void asHttp11_keepsMethodAndTarget(String method, String target) {
    RequestLine line =
        RequestLine.parse(
            (method + " " + target + " HTTP/1.0").getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(line.asHttp11(), StandardCharsets.US_ASCII))
        .isEqualTo(method + " " + target + " HTTP/1.1\r\n");
  }

  @Property(tries = 2000)
  void parse_neverThrows_andOnlyWellFormedLinesAreServed(@ForAll byte[] line) {
    RequestLine parsed = RequestLine.parse(line);
    if (parsed.verdict() == RequestLine.Verdict.HTTP_1_1
        || parsed.verdict() == RequestLine.Verdict.HTTP_1_0) {
      assertThat(RequestLine.isToken(parsed.method())).isTrue();
      assertThat(parsed.target()).isNotEmpty().doesNotContain(" ");
    }
  }
}

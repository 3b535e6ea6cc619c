package org.sagstudy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** JSON over HTTP to a running server, with the admin's basic credentials where a call needs them. */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String authorization;

    ApiClient(String base, String user, String password) {
        this.base = base.replaceAll("/$", "");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A participant's call: fails unless the status is {@code expected}. */
    JsonNode call(String method, String path, JsonNode body, int expected) throws IOException, InterruptedException {
        return call(method, path, body, expected, null);
    }

    /**
     * A participant's call from {@code address}: the server trusts X-Forwarded-For from a proxy on its own machine,
     * so a load test on the same machine can stand for participants at many addresses, as at a real launch.
     */
    JsonNode call(String method, String path, JsonNode body, int expected, String address) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = request(method, path, body);
        if (address != null) {
            request.header("X-Forwarded-For", address);
        }
        HttpResponse<String> response = send(request);
        if (response.statusCode() != expected) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** An admin's call: any 2xx is fine; a refused login or another status is an error with a clear message. */
    JsonNode admin(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request(method, path, body).header("Authorization", authorization));
        if (response.statusCode() == 401) {
            throw new IOException("the admin login was refused: set --password or SAG_ADMIN_PASSWORD");
        }
        if (response.statusCode() >= 300) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Opens a connection to the server (kept for the next call) with a request whose answer does not matter. */
    void connect() throws IOException, InterruptedException {
        send(request("GET", "/q/health/live", null));
    }

    /** {@link #call} for code that cannot throw checked exceptions. */
    JsonNode unchecked(String method, String path, JsonNode body, int expected, boolean asAdmin) {
        try {
            return asAdmin ? admin(method, path, body) : call(method, path, body, expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new IOException("no server at " + base + " (start it with scripts/run.sh)");
        }
    }

    private HttpRequest.Builder request(String method, String path, JsonNode body) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                // the server refuses state changes to its API without it (a cross-site form cannot send one)
                .header("X-Requested-With", "sag-study-cli")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
    }
}

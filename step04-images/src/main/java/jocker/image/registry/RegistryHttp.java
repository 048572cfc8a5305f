package jocker.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import jocker.sys.JockerException;
import jocker.sys.Json;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * One registry, over the JDK's HTTP client: the scheme to use, and the
 * authentication the registry asks for.
 *
 * <p>A registry says what it wants in a 401's WWW-Authenticate header:
 * "Basic" (send user:password with every request) or "Bearer" (get a token
 * from the realm it names, for the scope it names, with the user:password
 * if there is one, then send the token). The first 401 is expected: the
 * client answers the challenge and repeats the request once.
 */
final class RegistryHttp {
    /** The one HTTP client, made when first needed. */
    private static final class Client {
        static final HttpClient INSTANCE = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL) // blobs are often served from elsewhere
                .connectTimeout(Duration.ofSeconds(10))
                .build();

        static {
            made = true;
        }
    }

    private static volatile boolean made;

    /**
     * Whether this JVM made the HTTP client. The client keeps a thread in
     * epoll_wait for the rest of the JVM's life, and the JVM's exit waits
     * 300 ms for threads in native code before it gives up on them
     * ({@code VM_Exit::wait_for_threads_in_native_to_block}).
     */
    static boolean clientMade() {
        return made;
    }

    private static final java.util.Map<String, URI> SCHEMES = new java.util.concurrent.ConcurrentHashMap<>();

    private final String host;
    private final String userPassword;
    private final boolean insecure;
    private final String scope;
    private URI base;
    private String authorization;

    /**
     * @param host     "localhost:5000", "registry-1.docker.io" ...
     * @param insecure plain HTTP allowed (a local or --insecure-registry one)
     * @param scope    what the token must allow: "repository:NAME:pull" or ":pull,push"
     */
    RegistryHttp(String host, String userPassword, boolean insecure, String scope) {
        this.host = host;
        this.userPassword = userPassword;
        this.insecure = insecure;
        this.scope = scope;
    }

    /** Plain HTTP is never used for a registry that is not local or listed as insecure, as in docker. */
    static boolean isInsecure(String host, Set<String> insecureRegistries) {
        String name = host.replaceFirst(":\\d+$", "");
        return insecureRegistries.contains(host) || name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
    }

    // tag::send[]
    /** Sends a request to the path (relative to https://HOST, or http:// when allowed), answering one challenge. */
    HttpResponse<InputStream> send(HttpRequest.Builder request, String path) throws IOException {
        HttpResponse<InputStream> response = attempt(request, path);
        if (response.statusCode() == 401) {
            String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
            response.body().close();
            if (authorization != null || challenge.isEmpty()) {
                throw new JockerException("unauthorized: authentication required by " + host
                        + (userPassword == null ? " (log in first)" : " (are the credentials right?)"));
            }
            authorization = answer(Challenge.parse(challenge));
            response = attempt(request, path);
            if (response.statusCode() == 401) {
                response.body().close();
                throw new JockerException("unauthorized: " + host + " refused the credentials");
            }
        }
        return response;
    }
    // end::send[]

    private HttpResponse<InputStream> attempt(HttpRequest.Builder request, String path) throws IOException {
        URI uri = resolve(path);
        HttpRequest.Builder r = request.copy().uri(uri);
        if (authorization != null) {
            r.setHeader("Authorization", authorization);
        }
        try {
            return Client.INSTANCE.send(r.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (SSLException e) {
            throw new JockerException("TLS with " + host + " failed: " + e.getMessage()
                    + " (plain HTTP only for local registries and --insecure-registry ones)");
        } catch (ConnectException e) {
            throw new JockerException("cannot reach registry " + host + ": connection refused");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JockerException("interrupted talking to " + host, e);
        } catch (IOException e) {
            throw new JockerException("cannot talk to registry " + host + ": " + e, e);
        }
    }

    URI resolve(String pathOrUrl) {
        if (base == null) {
            base = insecure ? SCHEMES.computeIfAbsent(host, RegistryHttp::probe) : URI.create("https://" + host);
        }
        if (pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://")) {
            return URI.create(pathOrUrl);
        }
        return base.resolve(pathOrUrl);
    }

    /**
     * Plain HTTP or HTTPS, for a local or --insecure-registry host, which
     * docker lets speak either. docker tries HTTPS first; jocker asks in
     * plain HTTP, so that a plain registry costs no TLS handshake (0.1 s of
     * a pull that has nothing to do, measured): a registry answers /v2/ with
     * 200 or 401; an HTTPS server asked in plain text answers 400 ("Client
     * sent an HTTP request to an HTTPS server") or hangs up, and is then
     * spoken to in HTTPS. Credentials are never sent with the question.
     */
    private static URI probe(String host) {
        try {
            HttpResponse<Void> r = Client.INSTANCE.send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
            return URI.create((r.statusCode() == 400 ? "https://" : "http://") + host);
        } catch (IOException e) {
            return URI.create("https://" + host);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return URI.create("https://" + host);
        }
    }

    // tag::token[]
    private String answer(Challenge c) throws IOException {
        if (c.scheme().equals("basic")) {
            if (userPassword == null) {
                throw new JockerException("unauthorized: " + host + " wants a user and password: log in first");
            }
            return "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
        }
        if (!c.scheme().equals("bearer") || c.params().get("realm") == null) {
            throw new JockerException("unsupported authentication from " + host + ": " + c.scheme());
        }
        StringBuilder url = new StringBuilder(c.params().get("realm"));
        String sep = url.indexOf("?") < 0 ? "?" : "&";
        if (c.params().containsKey("service")) {
            url.append(sep).append("service=").append(URLEncoder.encode(c.params().get("service"), StandardCharsets.UTF_8));
            sep = "&";
        }
        url.append(sep).append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        HttpRequest.Builder tokenRequest = HttpRequest.newBuilder(URI.create(url.toString())).GET();
        if (userPassword != null) {
            tokenRequest.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<byte[]> response = Client.INSTANCE.send(tokenRequest.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new JockerException("unauthorized: the token service of " + host + " said " + response.statusCode());
            }
            JsonNode body = Json.MAPPER.readTree(response.body());
            String token = body.hasNonNull("token") ? body.get("token").asText() : body.path("access_token").asText(null);
            if (token == null || token.isEmpty()) {
                throw new JockerException("the token service of " + host + " sent no token");
            }
            return "Bearer " + token;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JockerException("interrupted getting a token from " + host, e);
        }
    }
    // end::token[]

    /** The registry's error message from a failed response ({"errors": [{"code","message"}]}), or the status. */
    static String errorOf(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            JsonNode body = Json.MAPPER.readTree(in.readNBytes(64 * 1024));
            JsonNode first = body.path("errors").path(0);
            if (!first.isMissingNode()) {
                return first.path("message").asText(first.path("code").asText("error")).toLowerCase(java.util.Locale.ROOT);
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: the status says it
        }
        return "HTTP " + response.statusCode();
    }

    static Optional<String> header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name);
    }

}

package dev.cairn.blueprint.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The blueprint service's settings. Every replica is the same: none needs a setting of its own.
 *
 * @param registerUris   the register service ({@code CAIRN_BLUEPRINT_REGISTERURIS}, comma-separated; tried in turn)
 * @param validatorUris  the validator service ({@code CAIRN_BLUEPRINT_VALIDATORURIS}, comma-separated)
 * @param walletUris     the wallet service ({@code CAIRN_BLUEPRINT_WALLETURIS}, comma-separated)
 * @param sweepInterval  how often the replica holding the sweep lease catches up on steps whose
 *                       sealing or rejection it missed, and times out branches past their deadline
 *                       (default 2s)
 * @param resubmitAfter  how long a step may stay unacknowledged by the validator before the sweep
 *                       submits it again (default 5s)
 * @param settleAfter    how long a submitted step may wait for its seal event before the sweep asks
 *                       the validator what became of it (default 15s: long enough that a busy
 *                       system is not asked about every step it is still sealing)
 * @param websocket      the notification WebSocket
 */
@ConfigurationProperties("cairn.blueprint")
public record BlueprintProperties(List<URI> registerUris, List<URI> validatorUris, List<URI> walletUris, Duration sweepInterval,
        Duration resubmitAfter, Duration settleAfter, Websocket websocket) {

    /**
     * @param allowedOrigins origins a browser may open {@code /ws/blueprints} from
     *                       ({@code CAIRN_BLUEPRINT_WEBSOCKET_ALLOWEDORIGINS}, comma-separated; default none)
     */
    public record Websocket(List<String> allowedOrigins) {
        public Websocket {
            allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        }
    }

    public BlueprintProperties {
        registerUris = registerUris == null || registerUris.isEmpty() ? List.of(URI.create("http://127.0.0.1:8083")) : List.copyOf(registerUris);
        validatorUris = validatorUris == null || validatorUris.isEmpty() ? List.of(URI.create("http://127.0.0.1:8084"))
                : List.copyOf(validatorUris);
        walletUris = walletUris == null || walletUris.isEmpty() ? List.of(URI.create("http://127.0.0.1:8082")) : List.copyOf(walletUris);
        sweepInterval = sweepInterval == null ? Duration.ofSeconds(2) : sweepInterval;
        resubmitAfter = resubmitAfter == null ? Duration.ofSeconds(5) : resubmitAfter;
        settleAfter = settleAfter == null ? Duration.ofSeconds(15) : settleAfter;
        websocket = websocket == null ? new Websocket(null) : websocket;
    }
}

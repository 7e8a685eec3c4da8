package dev.cairn.blueprint.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The blueprint service's settings. Every replica is the same: none needs a setting of its own.
 *
 * @param registerUris   the register service ({@code CAIRN_BLUEPRINT_REGISTERURIS}, comma-separated; tried in turn)
 * @param validatorUris  the validator service ({@code CAIRN_BLUEPRINT_VALIDATORURIS}, comma-separated)
 * @param walletUris     the wallet service ({@code CAIRN_BLUEPRINT_WALLETURIS}, comma-separated)
 * @param sweepInterval  how often the replica holding the sweep lease catches up on steps whose
 *                       sealing or rejection it missed, and times out branches past their deadline
 *
 * @param resubmitAfter  how long a step may stay unacknowledged by the validator before the sweep
 *                       submits it again
 * @param settleAfter    how long a submitted step may wait for its seal event before the sweep asks
 *                       the validator what became of it
 * @param websocket      the notification WebSocket
 */
@Validated
@ConfigurationProperties("cairn.blueprint")
public record BlueprintProperties(@DefaultValue("http://127.0.0.1:8083") @NotEmpty List<URI> registerUris,
        @DefaultValue("http://127.0.0.1:8084") @NotEmpty List<URI> validatorUris, @DefaultValue("http://127.0.0.1:8082") @NotEmpty List<URI> walletUris,
        @DefaultValue("2s") Duration sweepInterval, @DefaultValue("5s") Duration resubmitAfter, @DefaultValue("15s") Duration settleAfter,
        @DefaultValue @Valid Websocket websocket) {

    /** @param allowedOrigins origins a browser may open {@code /ws/blueprints} from (none by default) */
    public record Websocket(@DefaultValue List<String> allowedOrigins) {
        public Websocket {
            allowedOrigins = List.copyOf(allowedOrigins);
        }
    }

    public BlueprintProperties {
        registerUris = List.copyOf(registerUris);
        validatorUris = List.copyOf(validatorUris);
        walletUris = List.copyOf(walletUris);
    }
}

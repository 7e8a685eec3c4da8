package dev.cairn.register.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The register service's settings ({@code cairn.register.*}; every default and variable is in
 * docs/configuration.md).
 *
 * @param databasePrefix        each register lives in the MongoDB database {@code <prefix>_register_<id>};
 *                              the registry of registers is the database of the MongoDB URI
 * @param maxPageSize           largest page of transactions or dockets one request returns; larger
 *                              requests are capped, and the answer says so
 * @param maxDocketTransactions most transactions one docket may hold
 * @param websocket             the event stream's WebSocket endpoint
 */
@Validated
@ConfigurationProperties("cairn.register")
public record RegisterProperties(
        @DefaultValue("cairn") @Pattern(regexp = "[A-Za-z0-9_-]{1,16}", message = "must be 1 to 16 letters, digits, '_' or '-'") String databasePrefix,
        @DefaultValue("100") @Min(1) int maxPageSize, @DefaultValue("10000") @Min(1) int maxDocketTransactions,
        @DefaultValue @Valid Websocket websocket) {

    /**
     * @param allowedOrigins origins a browser may open {@code /ws/registers} from (none by
     *                       default, so only clients that send no Origin, or a matching one, connect)
     */
    public record Websocket(@DefaultValue java.util.List<String> allowedOrigins) {
        public Websocket {
            allowedOrigins = java.util.List.copyOf(allowedOrigins);
        }
    }
}

package dev.cairn.register.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param databasePrefix        each register lives in the MongoDB database
 *                              {@code <prefix>_register_<id>} ({@code CAIRN_REGISTER_DATABASEPREFIX},
 *                              default {@code cairn}); the registry of registers is the database of
 *                              the MongoDB URI
 * @param maxPageSize           largest page of transactions or dockets one request returns
 *                              ({@code CAIRN_REGISTER_MAXPAGESIZE}, default 100); larger requests
 *                              are capped, and the answer says so
 * @param maxDocketTransactions most transactions one docket may hold
 *                              ({@code CAIRN_REGISTER_MAXDOCKETTRANSACTIONS}, default 10000)
 * @param websocket             the event stream's WebSocket endpoint
 */
@ConfigurationProperties("cairn.register")
public record RegisterProperties(String databasePrefix, Integer maxPageSize, Integer maxDocketTransactions, Websocket websocket) {

    /**
     * @param allowedOrigins origins a browser may open {@code /ws/registers} from
     *                       ({@code CAIRN_REGISTER_WEBSOCKET_ALLOWEDORIGINS}, comma-separated; default
     *                       none, so only clients that send no Origin, or a matching one, connect)
     */
    public record Websocket(java.util.List<String> allowedOrigins) {
        public Websocket {
            allowedOrigins = allowedOrigins == null ? java.util.List.of() : java.util.List.copyOf(allowedOrigins);
        }
    }

    public RegisterProperties {
        databasePrefix = databasePrefix == null || databasePrefix.isBlank() ? "cairn" : databasePrefix;
        if (!databasePrefix.matches("[A-Za-z0-9_-]{1,16}")) {
            throw new IllegalArgumentException("cairn.register.database-prefix must be 1 to 16 letters, digits, '_' or '-'");
        }
        maxPageSize = maxPageSize == null ? 100 : maxPageSize;
        maxDocketTransactions = maxDocketTransactions == null ? 10_000 : maxDocketTransactions;
        websocket = websocket == null ? new Websocket(null) : websocket;
    }
}

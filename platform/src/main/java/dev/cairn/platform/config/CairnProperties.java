package dev.cairn.platform.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings every Cairn process understands.
 *
 * @param instanceId     id of this replica ({@code CAIRN_INSTANCE_ID}); derived from the
 *                       service name, host name and port when empty
 * @param parentPid      pid of a supervising launcher ({@code CAIRN_PARENT_PID}); the process
 *                       exits when that process is gone, so a killed launcher leaves no orphans
 * @param maxRequestSize largest request body accepted ({@code CAIRN_MAX_REQUEST_SIZE}); larger
 *                       ones get 413
 */
@ConfigurationProperties("cairn")
public record CairnProperties(String instanceId, Long parentPid, DataSize maxRequestSize) {

    public static final DataSize DEFAULT_MAX_REQUEST_SIZE = DataSize.ofMegabytes(2);

    public CairnProperties {
        if (maxRequestSize == null) {
            maxRequestSize = DEFAULT_MAX_REQUEST_SIZE;
        }
    }
}

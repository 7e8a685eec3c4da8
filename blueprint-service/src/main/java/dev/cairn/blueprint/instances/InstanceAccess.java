package dev.cairn.blueprint.instances;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.cairn.blueprint.catalog.Catalog;
import dev.cairn.blueprint.clients.WalletDirectory;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.platform.web.Ids;

/**
 * Who may see an instance: users of the organisation that started it (and Cairn's services with
 * {@code blueprint:read}), and whoever holds the wallet bound to one of its participants, of any
 * organisation. Everyone else is told it does not exist. Of the instance's data, a caller sees
 * only what was disclosed to the participants whose wallets it holds.
 */
@Component
public class InstanceAccess {

    /** A caller who may see an instance: the participants whose wallets it holds (none for a member of the organisation who holds none). */
    public record Viewer(Set<String> participants) {
        public Set<String> wallets(InstanceStore.Instance instance) {
            Set<String> wallets = new LinkedHashSet<>();
            participants.forEach(p -> wallets.add(instance.participants().get(p).walletAddress()));
            return wallets;
        }
    }

    private final InstanceStore store;
    private final WalletDirectory wallets;

    InstanceAccess(InstanceStore store, WalletDirectory wallets) {
        this.store = store;
        this.wallets = wallets;
    }

    public InstanceStore.Instance find(String id) {
        Ids.require(id, "instance");
        return store.find(id).orElseThrow(() -> ApiException.notFound("instance"));
    }

    /** @throws ApiException 404 when the caller may not see the instance */
    public Viewer viewer(Caller caller, String token, InstanceStore.Instance instance) {
        boolean member = caller.belongsTo(instance.organizationId())
                || (caller.isService() && caller.hasScope(Catalog.READ_SCOPE) && (caller.orgId() == null || caller.orgId().equals(instance.organizationId())));
        Set<String> held = new LinkedHashSet<>();
        Map<String, Boolean> byWallet = new java.util.HashMap<>();
        instance.participants().forEach((participant, binding) -> {
            boolean owns = byWallet.computeIfAbsent(binding.walletAddress(), address -> wallets.owns(caller, token, address));
            if (owns) {
                held.add(participant);
            }
        });
        if (!member && held.isEmpty()) {
            throw ApiException.notFound("instance");
        }
        return new Viewer(Set.copyOf(held));
    }
}

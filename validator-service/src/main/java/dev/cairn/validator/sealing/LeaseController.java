package dev.cairn.validator.sealing;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.validator.clients.RegisterClient;

/** Which validator replica leads which register: for operators (SystemAdmin). */
@RestController
class LeaseController {

    private final Leases leases;

    LeaseController(Leases leases) {
        this.leases = leases;
    }

    @GetMapping("/api/v1/validator/leases")
    List<Leases.Stored> leases(Caller caller, @RequestParam(required = false) String registerId) {
        Access.requireSystemAdmin(caller);
        if (registerId != null) {
            RegisterClient.requireRegisterId(registerId);
        }
        return leases.stored(registerId);
    }
}

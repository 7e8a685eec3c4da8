package dev.cairn.validator.sealing;

import java.time.Instant;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.lease.Leases;
import dev.cairn.platform.web.Ids;

/** Which validator replica leads which register: for operators (SystemAdmin). */
@RestController
class LeaseController {

    /** A register's lease: which replica holds it, until when, and its epoch. */
    record LeaseView(String registerId, String holder, long epoch, Instant expiresAt, Instant takenAt) {
    }

    private final Leases leases;

    LeaseController(Leases leases) {
        this.leases = leases;
    }

    @GetMapping({"/api/validator/leases", "/api/v1/validator/leases"})
    List<LeaseView> leases(Caller caller, @RequestParam(required = false) String registerId) {
        Access.requireSystemAdmin(caller);
        if (registerId != null) {
            Ids.require(registerId, "register");
        }
        return leases.stored(registerId).stream().map(l -> new LeaseView(l.key(), l.holder(), l.epoch(), l.expiresAt(), l.takenAt())).toList();
    }
}

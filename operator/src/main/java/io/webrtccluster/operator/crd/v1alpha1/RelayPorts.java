package io.webrtccluster.operator.crd.v1alpha1;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(value = "self.min < self.max", message = "relayPorts.min must be below relayPorts.max", fieldPath = ".min", reason = "FieldValueInvalid")
public class RelayPorts {
    @Min(1024)
    @Max(65535)
    @Default("49160")
    public int min = 49160;

    @Min(1024)
    @Max(65535)
    @Default("49200")
    public int max = 49200;
}

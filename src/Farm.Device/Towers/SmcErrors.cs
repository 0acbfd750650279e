using Farm.Device.Sense;
using Farm.Device.Transports;

namespace Farm.Device.Towers;

/// <summary>
/// Sense of a failed changer command -> the tower fault the farm acts on, with a sentence for
/// the operator (SMC-3 / SPC additional sense codes).
/// </summary>
public static class SmcErrors
{
    private const byte MoveMediumOperationCode = 0xA5;

    public static TowerException FromSense(SenseData sense, Cdb cdb, string changer)
    {
        ArgumentNullException.ThrowIfNull(cdb);
        var code = $"[sense {sense.Code}]";
        return (sense.Key, sense.Asc, sense.Ascq) switch
        {
            (SenseKey.IllegalRequest, 0x3B, 0x0E) => new TowerException(TowerFault.InputEmpty, $"{changer}: {cdb.Name}: the source element is empty: there is no disc to take {code}"),
            (SenseKey.IllegalRequest, 0x3B, 0x0D) => new TowerException(TowerFault.BinFull, $"{changer}: {cdb.Name}: the destination element is full: it already holds a disc {code}"),
            (SenseKey.IllegalRequest, 0x21, 0x01) => new TowerException(TowerFault.NoSuchDiscOrDrive, $"{changer}: {cdb.Name}: an element address does not exist in this changer {code}"),

            // tgt answers an unknown element address in MOVE MEDIUM with 5/24/00 INVALID FIELD IN
            // CDB instead of SMC's 5/21/01. MOVE MEDIUM's CDB holds nothing but the three element
            // addresses and the Invert bit (which we never set), so the invalid field can only be
            // an address: it is decoded as one, the way we would for a real changer doing this.
            (SenseKey.IllegalRequest, 0x24, 0x00) when cdb.OperationCode == MoveMediumOperationCode =>
                new TowerException(TowerFault.NoSuchDiscOrDrive, $"{changer}: {cdb.Name}: an element address does not exist in this changer (reported as an invalid field in the CDB) {code}"),
            (SenseKey.IllegalRequest, 0x3B, 0x12) or (SenseKey.IllegalRequest, 0x3B, 0x11) => new TowerException(TowerFault.BinFull, $"{changer}: {cdb.Name}: a magazine is removed: put it back {code}"),
            (SenseKey.NotReady, 0x04, _) => new TowerException(TowerFault.ArmJam, $"{changer}: {cdb.Name}: the changer is not ready ({AdditionalSenseCodes.Describe(sense.Asc, sense.Ascq)}) {code}"),
            (SenseKey.HardwareError, _, _) => new TowerException(TowerFault.ArmJam, $"{changer}: {cdb.Name}: the changer reports a hardware fault ({AdditionalSenseCodes.Describe(sense.Asc, sense.Ascq)}); an operator must check the arm {code}"),
            _ => new TowerException(TowerFault.ArmJam, $"{changer}: {cdb.Name}: the changer refused the command ({AdditionalSenseCodes.Describe(sense.Asc, sense.Ascq)}) {code}"),
        };
    }
}

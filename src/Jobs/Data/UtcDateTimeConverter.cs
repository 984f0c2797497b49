using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WeightShare.Jobs.Data;

/// <summary>
/// Every time is written in UTC; SQLite keeps no kind, so values read back are marked UTC again and serialise with
/// their "Z" like the ones never stored.
/// </summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));

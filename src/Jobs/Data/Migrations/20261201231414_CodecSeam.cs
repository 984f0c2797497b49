using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeightShare.Jobs.Data.Migrations
{
    /// <inheritdoc />
    public partial class CodecSeam : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Solutions_RunId_K",
                table: "Solutions");

            migrationBuilder.RenameColumn(
                name: "GroupStartsJson",
                table: "Solutions",
                newName: "RefinementJson");

            migrationBuilder.AlterColumn<int>(
                name: "K",
                table: "Solutions",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<string>(
                name: "Codec",
                table: "Solutions",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Description",
                table: "Solutions",
                type: "TEXT",
                maxLength: 512,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ParametersJson",
                table: "Solutions",
                type: "TEXT",
                maxLength: 1024,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<double>(
                name: "ValidationMetric",
                table: "Solutions",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            // Every solution so far is the paper codec's: its one gene is k, and its description is the one PaperCodec gives.
            migrationBuilder.Sql("""
                UPDATE "Solutions" SET
                    "Codec" = 'paper',
                    "ParametersJson" = '{"k":' || "K" || '}',
                    "Description" = 'k = ' || "K" || CASE WHEN "Merged" THEN ' merged to ' ELSE ', ' END || "SharedValues" || ' shared values',
                    "ValidationMetric" = CASE
                        WHEN "TestAccuracy" IS NOT NULL AND (SELECT "SettingsJson" FROM "Runs" WHERE "Runs"."Id" = "Solutions"."RunId") LIKE '%"metric":"macroF1"%'
                            THEN "ValidationMacroF1"
                        ELSE "ValidationAccuracy"
                    END;
                """);

            // The phase after the search was called Merge; every codec refines, so it is Refine now.
            migrationBuilder.Sql("""UPDATE "Runs" SET "Phase" = 'Refine' WHERE "Phase" = 'Merge';""");

            migrationBuilder.CreateIndex(
                name: "IX_Solutions_RunId_ParametersJson",
                table: "Solutions",
                columns: new[] { "RunId", "ParametersJson" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""UPDATE "Runs" SET "Phase" = 'Merge' WHERE "Phase" = 'Refine';""");

            migrationBuilder.DropIndex(
                name: "IX_Solutions_RunId_ParametersJson",
                table: "Solutions");

            migrationBuilder.DropColumn(
                name: "Codec",
                table: "Solutions");

            migrationBuilder.DropColumn(
                name: "Description",
                table: "Solutions");

            migrationBuilder.DropColumn(
                name: "ParametersJson",
                table: "Solutions");

            migrationBuilder.DropColumn(
                name: "ValidationMetric",
                table: "Solutions");

            migrationBuilder.RenameColumn(
                name: "RefinementJson",
                table: "Solutions",
                newName: "GroupStartsJson");

            migrationBuilder.AlterColumn<int>(
                name: "K",
                table: "Solutions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Solutions_RunId_K",
                table: "Solutions",
                columns: new[] { "RunId", "K" },
                unique: true);
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeightShare.Jobs.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class DataFreeRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "DatasetId",
                table: "Runs",
                type: "character varying(32)",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(32)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Data-free runs have no dataset to point at: they go (with their solutions and generations, by cascade).
            migrationBuilder.Sql("DELETE FROM \"Runs\" WHERE \"DatasetId\" IS NULL;");

            migrationBuilder.AlterColumn<string>(
                name: "DatasetId",
                table: "Runs",
                type: "character varying(32)",
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldNullable: true);
        }
    }
}

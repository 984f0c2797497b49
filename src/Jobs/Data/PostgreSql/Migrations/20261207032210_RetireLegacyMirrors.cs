using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeightShare.Jobs.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class RetireLegacyMirrors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A running run is Running in every phase; the phase says where it stands.
            migrationBuilder.Sql("UPDATE \"Runs\" SET \"Status\" = 'Running' WHERE \"Status\" = 'Merging';");

            migrationBuilder.DropColumn(
                name: "K",
                table: "Solutions");

            migrationBuilder.RenameColumn(
                name: "MergeSeconds",
                table: "Runs",
                newName: "RefineSeconds");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "RefineSeconds",
                table: "Runs",
                newName: "MergeSeconds");

            migrationBuilder.AddColumn<int>(
                name: "K",
                table: "Solutions",
                type: "integer",
                nullable: true);

            // What earlier releases stored: k from the parameters, and Merging for a running run past its search.
            migrationBuilder.Sql("UPDATE \"Solutions\" SET \"K\" = (\"ParametersJson\"::jsonb ->> 'k')::integer;");
            migrationBuilder.Sql("UPDATE \"Runs\" SET \"Status\" = 'Merging' WHERE \"Status\" = 'Running' AND \"Phase\" IN ('Refine', 'Finish');");
        }
    }
}

/*
 * sighting.c — freeing provenance rows (model/sighting.h).
 */
#include "model/sighting.h"

#include <stdlib.h>

void hr_sighting_rows_free(hr_sighting_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		free(rows[i].status);
		free(rows[i].body);
		free(rows[i].source);
		free(rows[i].driver);
		free(rows[i].object);
		free(rows[i].location);
		free(rows[i].state);
	}
	free(rows);
}

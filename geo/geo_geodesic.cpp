// geo_geodesic.cpp -- the geodesic distance on the WGS84 ellipsoid through
// GeographicLib (Karney's algorithm: the same as PROJ's geod_inverse, which
// is its C port). The one C++ file of incimap: Debian ships Karney's C
// version only inside libproj, whose loading (curl, TIFF, its SQLite
// database's code) costs `extract` more start-up than the whole run of a
// small input (issue 20); GeographicLib needs the C++ runtime only.
#include <GeographicLib/Geodesic.hpp>

#include <cmath>

extern "C" {
#include "geo.h"
}

double geo_geodesic_m(double lat1, double lon1, double lat2, double lon2)
{
    try {
        double s12 = NAN;
        GeographicLib::Geodesic::WGS84().Inverse(lat1, lon1, lat2, lon2, s12);
        return s12;
    } catch (...) {
        return NAN;
    }
}

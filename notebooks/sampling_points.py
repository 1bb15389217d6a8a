# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Where does a deformable layer look? Sampling points, and whether they grow with the digit
#
# The point of a deformable convolution is that its 3x3 sampling grid is not fixed: a small conv
# predicts a shift for every kernel point at every position, so the grid can stretch over a large object
# and shrink over a small one. DCNv2 adds a weight (modulation, in (0, 2)) for every sampled value.
# Does the scaled-MNIST classifier actually learn that? Two questions:
#
# 1. **Where does it sample?** The original notebook plotted the raw offsets at feature-map pixels, without
#    the kernel grid they shift, so it did not show where the layer reads. Here we take one unit of conv5's
#    output at the centre of the digit and follow its sampling through conv4 down to the input: conv5
#    reads conv4's output at 9 points and each of those is computed by conv4 from 9 points, so the unit
#    sees **81 points** of conv4's input, which we draw in input pixels over the digit.
# 2. **Does its receptive field grow with the digit?** We measure how far the 81 points spread, as the
#    test digits are zoomed from x0.5 to x1.5, averaged over the test digits, for DCNv2 and for the plain
#    CNN (whose grid is fixed by construction).
#
# The models are the seed-0, 32-channel plain and DCNv2 networks trained by `scaled_mnist.ipynb`
# (`results/mnist_seed0.pt`). `SMOKE_TEST=1` (what CI runs) or missing weights: a quickly trained pair
# instead, as the output says. `DATA_DIR` sets where MNIST lives (default `data`).

# %% cellView="form"
# @title Setup: use the repository's `dcn.py` and `mnist_lab.py`, or unpack the copies packed in this cell
# Packed by tests/notebook_pack.py; tests/test_notebooks.py checks they equal the repository's files.
PACKED = "eNq9fQ132zay9l/hZk9PyIRWLCfptsqq73UTp/W5+Tqxu7372j4yLdE2a4lUSSq26+v/fueZGYAASdnO3r11G1sigQEwGAzmC4ObR7NpPlhePxoFj/4avN/dD95l0zSv0sP8r/R/8LpYXpfZ2XkdhNMo2NrcGgaz9Es6L5ZpuXl+nQZhfZ4GBRXJ8mQe7GWL5Tzd+HS9X5TT84036WlRLpITevS6yL8U81WdFfnGl61gnlynZdTbwrcBQFYMKXjz+gOVnhZ5XWYnq7ooK+3Yp7RcZFVF4IKsCs7TMj25Ds7KJK/TWRyclin16jSYniflWRoHdREk+XVAna6oQnFSJ1me5WdBQqCX1yhZnxOYqjitL5MypcIzNJJUVTHNEgIZzIrpapHmdYIRBKfZPK1k7IeP9rTW4aOIW5qlhIks52GYd8FlVp8Xqzoo04qGMgWUGE1k+XS+mqEvpsQ8W2TaDCAwbirAXVU0EvQ3DhbFLDvF35SHt1ydzLPqPA5mWSWIoocVHvJcckM0pGdFGVTpfA4gGfWfh930MUYZNLQEbmvFFjd9eV4s/PEQtk5XZU6tplxnVhD2uCFq97d0WuMhapwW83lxiQHSLM4yjKsaBfv0JjkpvqQ8IJn/vKipv9IJzMaymWJ9VZ0n1PuTtEEcNU6YTpwxlehAVRMhZDQNy6LkFttjHQT7P+8Eex/f7v+6/Xkn2N0LPn3++I/dNztvaEK39+jB4SMeza+7+z9//GU/oGKftz/s/zP4+DbY/vDP4D93P7yJg53/+vR5Z28v+Pg52H3/6d3uDj3b/fD63S9vdj/8FPxI9T58pCW1SwuLIO9/5FYV1O4O1XuLNt7vfH79Mz3Z/nH33e7+P+Pg7e7+B4B9S3C3g0/bn/d3X//ybvtz8OmXz58+7u1QD94Q5A+7H95+poZ23u982B9Qw/Qs2PkHfQn2ft5+945b2/6FBvAZXeTV9vHTPz/v/vTzfvDzx3dvduj5jzvUv+0f3+1IazS01++2d9/HwZvt99s/7fDYPhKgz1xMO7j9eXcPI3z7+SOVBH4ILUDCB2nkw4ed1/u7Hz8w+nxUUyl8/2Vvp4H8Zmf7HYHbwxDcwoPD/PAR/msYSeAwkoBYQ8gcIiIyKwNlOzFIoshTXqUAkW/TmrQApg6AKgGXqYKMVliWL2n1JbQA06TMibBOy4TXKZNRJZRLpao6TWaGnk6zq5RYxUVwFVwQ+8lmI+Ip1UIIMv8ShMfHxelpldYTfD0+joJlmc5o/VdULpzREp5dRUTX2WnNQyDeWl4HFyl1AK1mOfeInx7mxB3QRdMZWa8Zo4EaTbG+Wm0Tn1jNE2Kbfc1fprzsCEC4GQeCw8M8TabnipdZ8CWZr2it/FjU9KxOSu7NH2lZEHshlgo+W50Ho+mcOOXouJklTNLW7BhcIr0iLM6vqfByTlz3MHfxjwEwuithnKhPU0fFL8HSCcWYj+KSOBGje15UFc8odg3hEphkGgNVvy5WJY2vAPd5RVMa5Gk6qwTc8XEN0jg+Blb445cMnOWY+1gsZZ4jhr1zxaMf4XNAPz/88ENAuxFxkoBrNk9PS7BFPDMF8rz1lrZX866NnqYk74bBuFMiHH4bB8+3YiWISZX9kY6fE79PZtgyxsM4OMmSarxfrtKoAXdFoLhXA9oPZ3lIAABo6zv8i1rNhlfRgPjqMpXnUm+PGgoPtqRxqXfkVPyrnXrpuTPNmCWeaG+dYW+TbT1ZpEp4VQNPGiXCndIEp6HpV0zoHJyucl2Fg6kg5SqWZgcCx3wDJhzUUG0i/Pl4mG681K4DTe4ghMZmBTMApfn/F4S0KGlN0giEIyxpic8JMi9PLA5Z0LTai9Uybq1VomezSlGtheuBsiGMB3ifF1P+XN0xAzTH35s5oH+YhsP8fXKBjZKwThs+9lZa6NQJh8uFPDZhJ8+vngtHIKZluFOe1hF39yz7kvLU6LBOiGZAz5if4jKX5YkmSpKDvDVBIIjQaIr20t9XKe+3IX1T0iUypf4+92eEXn9O3/0Sykct+R2XHEYOgZUp0dCUGNCYO56W9aQuJs3wQnTfQS5hITR19PnB483HR00RLPEF4bS0a4OfDPZ+ehMqh14mZbKY8LRWaIAIqxxvDmgCtMC8nCxW8xrP3M4ecJWDw0fz8vDREdMJP+FtyDQ7cKFrvw4Y+OZgc7jp/2wdmY3vMGcuMpmcrupVmU4mhpkkOclEQjyYE30qf+bZyYDW3Vwr19dLzJ8WeU2zDxTSBk/7QEzyfkW/P9C6nO2vlnj+UblhHOiDX3L67rSiXND9NvBWKgnOwVvTusse90kcLcqY2eRhPpnQzIIL07DGJHcNB4QLjHkyoU7ywwPBlCsBKPOEeOa9QtPOUyGWybRdmpc54WNiF5/z8iSjV0TwE2EGzpteMnTe99AQv8VM5rt5/SnJQHqMygNiFYpc+Ui/jqjgj9uv/3Pnw5s9KhcePkpI3SEQBFvw3XyUrYvUDcLUz9t7k/2PJD/+gyQyErjGLRoYnGb5bFIt02nYrg22TUQUfCBZiSC9+/jrhKTZ1wZOKBN7Oi+SGtuHfD3R78yGIOxt/Ak/aGe7PGMFjHS6dHpBEzhS7sbKzzSgV/jCbJjElmxG7EoUQ9okMWMpq4DKrstVDkHiz+o+kUxAtJGVIUtUtABovY1IpKK1sCBVdLFajEAFUbDxQ5swRobE8N82dqUaWg7JUyApYun0gLYn3pp+GBtwMdZgEtSARZtBHFxGr6Dugp0HaVkSBBLq0vIyq0hGVl6DdrI6XVRgkqgp3SVKoVYqiL60N6RmDGEt7AHcN4oC2iSpJX0n9RTiKW0ieciAo+Av42AL/Qfl0SoPXbix4ADbEl77r06KYi5y/hfenBmcIgc/ZUJDCfavl+kOhheeHj66AZpvg8Wqon2NN0yLPEEMpPjLQjF4Rk3ecMf/Ut7y6tLeE0pN7/9up6vd8D9QcV3LNC83WvF2XUNlShxexyWLS6iGpf0v6YQ62aEephd6MbJ9beNNKjBai7LnDWP167AYmC4FTKNr0cbPCGPDr8PVw+Artvi5gy1mDpOTZHqR5rNQ/zaoor8NqvStoCwPDPe9p7emlukuFE0ioxtT3cyvlmvhxNQej9vM3FJ9m6Xf1Z/HCm/cBiaqj/OMGMB5ho240vESGcxJxXsVPG7gd34er6i9VhsEnSjJ7E+P/fnQss6MkJpQzIl8++YkFhF7pHJBa4qUK2lDI3c0j2kUCZOI8HNoecHrX95sx6KAkKhkjJDEJkn34K1C5H3wqYGRYz9StU+/2EpSGJZAVCBBhqQ32kVOE1L6S2ijeasXtJ7O5ulGfV6mCYxR86JYVkFYpUaYT6u6enaSkki9SMqLwfI6YtWUmkjmlVjIWEEFGbG2W62W2L+pUdlon53YHfjjhw//RSK/yn+qP87SL9k09eY6OE8wy2avA8sM33/ag3br4LVNkn8Z20l1Sa41r3gmXYBMaWXpPL8aZBXxqAk+TqRE2NB92BFUxHZBs49609UscZ7MSGRNzbr0BROfWM2aaXpknki/CDRGNKX5m6Q5RLZZGEXd4bWWj0fSluz/bInnp7RYpBBqMCYjto6UZNKADeSNSZpW6iw4EQWclU1ZCo5Qvv1pl0Et50X9Zws/Xalbta6R1QkcG8coUIk5BjvIZs0DorhhvJZhqarplt6EUXzOTXpARNLipn0B66SC0SJ1TH60KIV3Jm0zYtd+aBkLiauVQ2dmsOEH0uGDJ8FP9O/iHL8u4+DnSbGije5X/IlgzsjYigAJzjNWkcpaDTy95vjYxwWtg3RaVyNe866dIpCV4RkrLqAscBeCp8FvMZwlOd6if+FZ00F6exH57ZwXc9peZtdqrKe1ml7VFsDsatAUd6bVzKa1CbhzQ4NFpwHMtRyFWpSZ8vUCC4KEfTDyyOL6My9UF91A809xP4Zh6hyttfLw32AKbSLlqSdMpWekpsZiLnKm1LHzUDfj4PcowC5Q+VgOszj4jWTauql5fBwuqWOCjMl5sAF80N+nPB2EEv4M4/DvTbFLLcaTpcXweXYVHR87+P5k6ZY6WFFNau6AVsHPVH94FFwF+PIrfzk+5g6zQZc2LaP80m50ypsZjR7TcVKUs7Ts2z0uSK8g+hirbuNN9eEj5yuU16HSEPxUVVPJkARp5vzJLbqkosumqKWaw0f6EYU3tfAM/q+msKEslDafXdi0KckCGcyyRch6yYvArhoxyB0Qwr4Jwq1mLUT3SIe65lg4PE++sMuKtjKz7NVKIPYB+n6jYG87TMCguPeHGmIZU3Q0t8dRR0KerGW9pMHJBFJzocwKPgnS8UkwGkWONPe1fLylyzb8vP1i/WgtU+/AaphH69U65j7Cbjg67g7imHlPoiYGyGZYGNdia4BD2ThnjfEBC2MRJGdJlls2BJ8mi5x70zJb1q64BuGxTCCmAS2VLDs2j5Emyv2ELMmkQnxQnlRGZBfhFEYOaSfxLCG0cKG+shQZBZfFaj4j8OID0fH6W0ZQJxepuFOUUaFP3BuBf3wshnWhqONj9vWQzDolhaFip0sPK3gYKdHqfNh+IEBzuykRMs5lgVziD8FxqV65EaDLelKOwGKkkVFZjH6+5S58ft8RMcWS4ZYxeE/yM8CDAy0UuXtsivG3WJoc82+zDIvLqrGmCQxG1pMn8iUCMz+PBl+y9JJfDOX/iJi7X0sx4FasePcwtaWmFjOMblrMezpw2erAZQMC7/o7cNnTAd6XLr0ODHWWtANwi9pZILVzeqFQT8oimbFsrhQfAlkx9zgCLSzGG0ODGJ8AsIl7bI4beRpMlMNeX1kmd+Hyr/Zrh205Brgu5/Dkthaz5lgPTys0ghBvnIBo5JGuJGKdwJ4R7usIX1GgLxhdDoDg2TPdwiLuwZYPMRogzoIkXjiBh/z6RRy8jIPnDt5advHQU9tJYjV81NPke9D4YyNiQK4qlwUtd0goDJDkERI5XLc7y1ZWEo+Zb4L7isRiBJxsrdit/QT6XxPuCe+RIyo53UaJJ5iPeI1kCL4seBY1a/1Wco9YSv14EokWx8arisMVLAaIeph7DDr6f4CwG+OYpyrKz2LYIKaOXEqQScX5bmM4pGkjUQSRMFVF3Z+yz4hldyPmFkShWc6W8mWZTkmemV/3MHdQE1ENUQxUBtZzHPJjORcspuXOPBiONobq6rosyovJWn7sav1r2LFTRCD+lZe8EmRwmaALcA1f89QdbIAPHb0Sz3Myz85y2v9o8spq/DYBQMHAFWGvZjk/3Loi/kFM75lIx4qGina91Btbnl4qvwoPtgabVJ74pXw4PzI7QDNeK/UixGMdnKHA4XaxDAWafF0P02OstINOF6t5yA05S5LwnC1D8NG6CB0QsQwtsvyCEAakGb4qxEng3w4cRMvK74BCCY5KS8eNEw3Stm7sE33F69Z6zdb89MxWj9G3QiccqmgGQqT6RGjS4WCeDNTmX+29QOSf5jtCC0bWL3ogj48IN3Cd9Q6mz2zxNeaJXqCLpLpY3w3wL9e4GjT2vHXs+E1/VNSXrbiJ2HCE4hySZbWa1xxOd69p4iFMeZLlypdjYWjg7jx5g3/NeGJjqmhX64nNcE0iPzlNmBkPXws4dIyWoChqsSq60SsatDySuKFGjAcTYabnwBSqUYjsfsE8OQXusIaon8o47nqNIDIfMDjwsnIAC6Gw0LEWVYHGhrGRRYPotIvyfehulZawGidAyAZztbKPPG78lA2UJ0k9RXToIqmJMUUd93Xs+hHu2zWl6/4ImEZ/VrEo/JmaBXWILWVD7ShPoJmAkUbyi4Qha3d5arm8u9nJ64fZJ3RaHmig0Nl9sInCOou6XpR+R1ekDhWtr4V0WTJ5VsL6DMszrE5Y3B36WMw09RA/lrvQnQCRhk2YiXYY+p2M5H/b40aEYWazToqZCmlNJ8Q4Jia2y9i3XIV4jbKpNp0xNwMycyBJCd/4M+5Ymho5XcrfIfcfbGyNVLKyGz3I5EG2nrUoi4xkRQrYaiFiMditZYddFYbAYal78aLMelX76ImPcwLjtB3qea+CMUCIIY02zNums9hiufWY+eXd4oWLs7ta6NE4nZAAoi03fmbkM18aEf7cBX7YaYElNEXJwJXz1K0fWp/WWUk8zvqzGKtJfh3Wbo/ENE89+H2VUTe4jljYOeJX25FVYhZV5PnGEGN/mpYpaRcjs1uwfM5xdjLxAmYD1hxSi1anVD6Yp1XlmclBmbIJhGbxmpl3UMmdZlnf4IAqTEJexTHWr2BOcZLOqerdzscRhmDsb5UY4DQ2FcdXEBZN4we+Pl3X58SX36qv7N/Se5pxQW2355VLLtrCe8Xv7D03NUiWy/l1/yx1QSqDcFdMbBiaR2FmgYN3cnjiqjYK5yhY5bBWGH9pcLJYcJiU1TU9XZSIi4FUdXJdNbqoWCzZCmnaWpJ8VNQaYyo+E+weCPg2KmATNqo7gpgnbVdUwPetHQQHGxGPxMU/Xjzl59YmpahgoxYWWWGVBjfQJjXcZyJ4DttqgMhlBvd324vulCNRKRHmat5weaekV9HxPwQYE6iWD854RqOpbhTuZnWwaRRwCfa3bw2hDOOgYanchaYPUBpp/dBcg542huafr421AObOoDoQva5tDI9c/HtrrEG6YTyzf2ke9lvuRCJGmueHbGx2HbP57o6Z+uQ4ImHrZaMfccOwdwuMAll5iolTGlqd5iGCo6uiR2wGbbd8oj0ya7ORWnT1TgjmrylhRIkj8Kr20+GRP81qsl0swrUrxWVMlknqFPMRkQ6bM+ZlWujYnwaGA0feJB4fr2PAwmMj0sbEzhMQymcbl2UGpDKbuUzKmQTWJHPe9hHOk14So5Pdqmq0VO0EMUTEvdvKetIHcYJ223CAIfSntQ8CSgaV+ZUcUcGslumqSnVjATgZ0GNz7MhUsdur4wznoT62RfToDW1ncoaxqtMlyXJn6cZpwrq5nH5yCaO7P7OMJoc3ws8722/e78TB3jJNZ9Eg2MMZDWeH5DMbqvgPgl2cq/lC9YBlhD7kpL4JiwGW+SDFF7jMuJfU6eU5LYBlLTN0fEzkRB2f8As+uEKTN01yhNLNslOWN2o5cmm8ay6xy7f/qBD0MiU9+LywYVCnQBlmLJzWV3Ejw1pG0ms96Rp7HsRdWNAztMynFB4sETQAqJ8Dqw1ozLj3Epic0KgmhhjXCQS2K1FHt2ovHVvUFyPWIvY/WkvUBBSR2DVNJ86UIR7eTkXTYcwFy6uFE+jnYPG+EQG5ioqZ8RM1tRuty+KyeZkzWqVpux0221FT0BimbWF5QMKLu1RfNQLJIrkW9z6fTYM9HrGg9IUr8JKmFctQvM4S+IZV81fVFviz3aM/2PWr4j9GxyGdE4bNwvzB1tHIV3TU1diwchJ1VHRatxm00NNwfet9t7zeWpqxB5h6MTc6IGaUV0uc3WILstiaZYeTDgCX1WqxENeFvDKSp9+gj4mmeWvefeIKEdGAoIab0f3Yopknjtr7athGpB5QY0PNmr2uwW1XHPeG4hJygz9toY24ZkLUnG1UIR3sGgXRGXtbMWVJ/WGjbrosNBm2+v/EbumMdCiwabqEl9Y5f3j/NKxrtb0wbLu9PNUv46iKHQboAo+bAcYupcVqQpeF14om/zfaz7CPOOaCxvVlQ5DuiS8SacHEnr/YeOP5NiX0XOJINDjIsXNFXiS6RNdq/K0xvU9YRg3vORDgdyKxhvsNMfLUupFyiJLjoWmav9cYR/0z7MMLzmKrzze+GuHRcR/OlJl0YrLuVtFYXOF34+AG7d7eG5M1y2DDhDfl5Jo9AtR5KJ1OrJbHuxqEqII6udPkiCXFusc3pFuo+auFiehBqBipDsMDow/N2QtvBHZvvVnTmn+yQRVx3/7Eg2ZdXIaMmQxltPf1lQF2Jk17HEceWp0Wmk6dG8/AeeMZwKrEVrBhVya+rXUS4OXTYKjyrYF32YI39OANBd5lL7yhA4+QJl38ezAEcV+aLw/hAaOgWiac4oKjt27EU3QrZGv8Ejf64ZYdRzj3a08xcOaS+8hZ+K+qrzfhGpQ9BY2vGT486s2MdIzmOBlwfxQmNUfP87uiM6O+l+NxsOkPETpVJ2byYGt0JITp2cr+1VDPm/x2XbAnvbg5F/oNbriV239LqOfXehaYkzAn9Wo+aMCjFlPsZR3tDt14D/zDdX0Ci4yWTegO38jjDk7bJvR7hsCNtWfs5iGAbz1+4/RMBvPnngzZN2c8/rxGxX7jHLUOmyPjvrXmVza23JEUZJaJI4IPsbAoEYpsxU9/8pz02JAbptEEybl0b7RK0jFGd0TaxTaxi40RaMV4CVCxE9wLMopdD7pNovIKw6pwViB33ksUS8th9+B+J+ZMyprQtHCVg9Gz9t/Y2jrJRPJ8wOY3O1+lHnlZlx3ny5ZYzmYlDrXBDUCdNfNqj/3rtFo72vHx9QEWFEnBR+zZS6qDAtseKQ2TmymN8VYFiYOCg3UujtQygmoXXO1JcHUgkTzLTaq5nFwgpoBn2xY6Modf5Fjf8bEpKrEZnDsrPaMJKCVQipNfNKlJmM8cH18dDAaDIyecwzkFEUq4knGxINYwGgQfuRsSDuNQwLRYpJoQ5rLgFqomiIYXK+m7Z96RLjehjkZROwDHvIlU2dmiyGak4vKpJS/vjtjv0t9XRFxsWePRaqqf9dE3kya0lEZlv41s2Oq0WLHx8gRpfzy+3oS/3HfCZ00oS6zmb0s3DhwbHsXmN1OeMzakiDfRwIyhhrpz8Aif9EfMRAssh8zoBLSjY4xhb31PJHKH2QUvCuMua+OYOEnKRteA17fphZcSTzLddaKZzJZrka47jyEZHO2/NDG9NBeYhllacaConTJvGhrSGXGmG16tkj+vLxNULH22pYa0vxaipfbH/UicThDyYdiqtgZqZkWw5XAIfBSvCxGKxZuY5HION+6cXONTr3XB5yZ0ev1DzeG9IWeNK2YPO0o76Kwdc8Z06X4n9VxdlGuDjqRK94UzHglJwhL/daLn+FqEJmVfw7yg0bPqZfDJhvYK4kirHPN9Bg8Yp1BanfBkphXbX1jRxAl60IaXa0xZio2Yc0LK10bJ0fR1aSUI2/XFQiQNuFxqXpxRd6JImWt7tagmbpzHUa9xny0vNCdZPZmEVTo/jV2epdzBZ1z8qO/8KPHM5w8+Q2r5jyRp4fPpWuVIAjj7QzVdT4E8EP6B1AqIn2XW0NPek7jNCywAdy0rGCzptQGefeD1gIoYtiSCGJ/bNigOeVsRHYTRwKLdsaJhBgbOBLBR1M1J4W0o0E7tVyvmWzjutHUAuS8Byf3eBWV1Cx+IkRpJbdIkPJ0+tHSTVif8KB2b2KcHGhggFp5mO4llq6RVIw/1G4uGYQsvcdDCms0YZP2n98Uw9f6Ebaz5K+Xf29LdI2rhrUXrnnbt5Qv5xiCux058R/aQUFKE3Eb9CumNOzcord9voy6BOIzkK4+2WhBfEUNq63x1eKixIDc5XazZGflOugg2ZiFNrBAa0SpuBKnoQVh/bCD5mXXi/rw6VoLzJTZWpxXQX8rbx9Ha/nKQqcJgwdlBMewCHNfzVR0fW3iSKMWKlmFrrzYmdX4/vpG/Pb3lLjXhwCb615ZpBX31VHlIBLGt5qkJ2CAcxaFd1oki7g8adgNyoWy3F4GY+zpPzdEeFqmNXqOHI918le2KZj8eO9PYZAl0sXIHZzLrYewtndhseuuPY7a3AVYFx042Qo+N9ZnxLpykmzgLaca+Zo5UilrfxoPhs7WsmXh2g/meYm7XFbruaNXbFqTxsdn1uH3xaK0fH6mgJuFdigDLMHIluM5b1OmTPUT4s73kiJgMhu2s0lzbqmeoy/QV63NGMWpr4SKAemFxvYjp7b27sTP2wCTbxBL3zW4PsxUAvRHCNj4hH2CsA1ZQJyH3SwNxH1aYhWgbuyGxbfV1Mwnqsbao74SwqIu0ix6peQdoNN0AbkfVPKQJQHApJr2qy2RSpsuygdskg+JZJHLGjt8WSWFN74iXt37W3Js2G7qNG67eMKJbl2poFj0mjb1mE9y4zcmDp9yxhovduPU4BVgXqt3v121hDVjL7W68mr1glY8Q0OFaeLrcb5wKvbDc4No+YIDFvELMmz0QfOZ2Z6e8otq3ttvAawArq7UbrutkxxL7qEugwVPph0l3duPunjqHJqZ5Y8MEmwX/B7Z2qwWnV8t5Ns3Ap5iSrDrcTpom+S9MBFs7s2iH25oghuYsmTYQjayk9cyKarBf5KvFCXHJV5D0itmskcfYzHZS1HWxeCZp/E+zsmoOZCvrssy9qbiqxUjL6x5hRM8kSIMNtTkytiHotEY2WZOHpmllEHxqi1j1eVGljsUvWC1hj805ofuX1ITRNieeqR3JIFqm9qy5tbUM2jhbzxZYPFVctSOyNKejoFuYxz2ABD0tOIKHcXAwY+eq+FaxTc3gH6Ft6o9sGbZEoTbDi446exSDhXj3jeTklO/sVt3q2a/EhoYTwdTj0BmUWy8O7AMBHEV34sQWffYMlS0ofO0G8xjCddDm2Y1EwuVSaxdLi5t1k2ZqI91YxQfGw4hrZN8Ng4EEKnBhZYESOpnceqpnKxbI6GjP4+BFfxfuCgxyg4LEYvm1EUJfGSX0fxUp5GFGYxSfczhAWwj4Ohyx+9epPe4KFU0CjRBxPBvP73PVO+76hyN4LQPANmOZJQy9ld6LwxqU3GcjA6INeo5rboI0L1Zn532rreNkCYwocyc3Ex3DX2yukCydoVcsorBfLrnKKsOQvFnbGh05cXH38Cpg+udfu+YI2itStpFSVYcT2pAaF7Ew39g4neDvWveBViXlGjcYzi0CGFhkDEIv8IfNF7dRb3CNCZ65l2KUatQIrwO8kb/U4H0y7DrRMNKwBMsZVZQifYnDHx8oSrQF+64sod76OxPksJIGl4E9kt7jVdHD8Q18vnVEHKnsmbX3RwjZ+3dKGC2V1wY9vYa3CZKLnFIkfeP+Db2lsfcLvq4+46iFytzjlkauSni7dDvxgI0NniZ1eOBoYL3apr5zQ7VZUu8C0ajUHhB44wEAsrG1+4eu/fBWrmksNvzFLmj+1jpI3Hg7Y1XM2VpVnw8qkmtNH31LRF9f3RJHkhdq2BUNTEtIxfLEZJvy/VLugjCHRdaug7au3CSCuseD+NWuw35zhSfLuMf68bPKzTGxsSc2EPd+3pS6sm9XefX7Kk3/SENh+U39JrtOd9I0EFy602YgV053rmJnY5HiHd3FLS+BlP4x/6smqHqdPSJeY0aIXZPwPf6MdVuQxIQb5c/V/XpIDdvaXfgsVo3tRANlCo5/N2amJiWNBFOto0In4KpDihqI4sUh8VFwEy5ksgE4OQJsMAryBUvAlU095THfVtTI+rwt7RUQm0yuI5wiGh3rOvOhd5N84KcVMoYeH7MrQU79iFQ1uzO56wFfkfPK82n7jfhZb185uEF+rSbCys3IZeKsfAeK3D/HITl+E8fHvekMnKRMkaZe9e9N0pRL7RS4TPvVHfvX/exiPSNoM49/Dz+YPIQfIPIqDkZD/HO3IjejxR0JLXr8Cj0OhdY6d5rBqZ2eLA+TbiKzTm4Hja9FBi9E+yF+9KwnZrT/5Ip/BlA5ihtYKdDHvakMZQ7GHH9qDkR1RxE5pDZuiM6zX52ssjlPEMes2YukRN7639uv/oPXcueEJrUl4tJ0rvLEqDEPwdsgV7FVzPz6bv3pcEEvelFYm540lagTWr7qOYgdIVEcRMwuJd2ey51268qEAdngOu40Ui3DGjWltSuJk4wbQu7EcxgxR1pwRvu6ueHOOXEoV91JvCDCoQaI3pGxo40y1QSt15dFOdswVwRUoybIx0TiORE7fKFd7Caa1i2MmDsHDdtDw8jHZpN32+N4JjDnsYQTOplDtE98ySbu+3SGEiIcsfgj1bBKTQjBT15pbvBLE9PreGvUxyJsl/uFGYy8icDtWh031ndym513s5hfpX3/3VAuGENivc1W0dbNc216GzgECzcPX0qnpNC9X86/Y26NpsGWIAZmvEN2aPfbUxgZbUOTs34aWxO3sN7U5ArvnJxPrn/Q/HwPsKV0AZhuPWYgj0EX7XT5TrYym7zzISYVm17fnPrptO5es+KkvtIVFepfmBXsjHrlzQ2MxJbEteY5S3v0FH7k7T7rlaP+AXoak9awiTOMZOt6EK1325GITeLh/ibE/e0VxxOXzzqaKOvTvrDaIgS5xLBHMB8gGcldHkxDcu0x9Zhjehrh411OE+r3vL9bHg/z+ue/6lkc9/R0XS/7Wuy+6HSeGaCUNjy6q3bokY8/96zJr+cFLV++X7L6ky9M613DI44wiTkbOTK5mKudnDla5Rd8dSVEzzpsJIrgpics7fBRs3nKd3PXzaNbe0hJId5zT5Z06ZZZ1CqXuzhot9QOBDcVMlHNQgUW3b66k/kRxAaEH5XoyhmlvZvnkZtNJ6smz6+eh849cy1hi5GG0KGRl+alzdegFMAJ4WaD7r+Sk0mEG5BTJjFSCuN+ZDd1Km6bRGTt0Z3ZU62uzpcV497RBoK5v/JAAnTteI7kLrOHAfblTFyEKdDa+79/+d7nVDOfNTnQWPRK5yxmNkmsTHw2s9T1B6FC9zbcaN2BDcUr7P0Wt3yH1LRY0JaoCiODEqG1kjvjg+QU9w7IZFVN3iBFrM4MS5Z6WoUdqBB4s1NIeTnbWnGLoBQHrc1xx7pkuuAdKR2cDdrKL25CBad6LsuJP784fIRDNqdy955zVdXntPqQ1q/k+kIWIbjZpAlzb8Hnde7c5+WPypDL8bH9Eko4rohcSvPUlWWGuxOMro0TFnKUY8TX5eq1YrG5balq+WPp6ZvXH0gCXSK13ALX8TZLYRBsB8Orocg8ehdXjlk+KVbleVHMmsuu5Q7vRBw4ZeuwKhIrrnDvUKVoIiL729XfkPFnoTc9nLFQ3bq79yQ7OzO+CBKdSP+VUwAvvg+e0q9WK6LoWGcXpujbFxGNYUmaNwv71Mh5o1YZ2vEOn1jm7GssyvmK087KCsK1PM1a4e664efGp9MRaxlMare8PuVCZM7FNeA74/nqdgicVtXtdImrOzMNzURyHSnH07RG+o2vAbmEGikxAywrnOvlIOY+dlwgxxdvivx7luEmuXTmWnKRdc/cNycHOc7SWhwX1XmC7DIiIxDpC3g+qqYXJGenzBkY/GmSzfkEjXZw8LW3Nf+t0ame331bs3+vs7QyGAx6me2dNz336GrPRcHjO2ZNMb3BdYxhWEuTvfp5/R3R9jLoLfcy6JbWJzDNNbH33Rt+X4uwr5j7Y5yrgqUfR71X8LXiD5h246BzXnON3CGk3qMVmn240Qq5aJ9aaBRTKcByb49W2lEETeNZZRhN4gRPS+4ZuXXgJHVoVrfPu+UfeonbJ+9QyaWz7hgMb1ojuLei5bVwb7h8D54t8AbVoAVwN9mpZPUKvpkFkDLIXmKt2FZSLcCxEJX53g3BaF2Uu5QuM6/ma8ZtzX/zKHq7LniWzbVzch9fpiqihbbYPRTcgDOdMiCw9/Xu5E3/5J3bwfXK/5pbvE06b9uNsfOZcKzStJ4PV+FOJ42JcICeaT6itArLdFF8SSezFUzeBEMvMXgwncouMA74bItzzmiiOxsauXUkxKyqxNR+sOzSBLdn4okY8pFHX1r7ATYfC/FG69yKsEbijZXWzEFGRktDMrz1OjhHX1uDWziDa63URVcyN9FssMHLvj0SOZ7DHjtyPJB5yymNZ6GVBGFWUqa04MSKsInX7m3h1WWiybudfso4m86OuvY9edO18PEdzLPmde72358A6iVJGCs/DxyyPKMXAz47XkEiC3HtEfLnP9KIQEkP0MJ39BDofVRpF7VpGgrhMlBsuP1Y+v24ky+ta95b54vO5seid3ndF0pv0XjQ4Bezfvf2wdtjnzFMgo2myFsZWlYVO+uB87jyPeprI4qYErhIxBZT2QiVBcnaJq41Cm64zC0jjn0x+GqUct0yQb7/W0L0tuUHUuEyQXJHPdE4waVS2Ry94ckv6W3NVzOFMvHtSBnpPC/0I5bd+iapfSqqTuq6VLZKgvDEspbQ6UykXYlbrfg5a827xnShSgef+1DVo8dwMS9HEqpoo9Ln5WTByiE/xiHdwSbzEDZowCLlmwpgrlhkf5Bkb4+Y2GPCrLuKJE+gjo/nJZw40tCzjndESjTnkLQnjrsejh1fAZRVaVJLqBuqcpLMVo7fR++45qP8i+QsxU2EklrKXGzg5J3lvCZsEGAzJZLKkq52wqlcoAfPXD2YGzUeMuR4/W21WAbm+i8lZwKyUa9g8ITajKFl0DtLq/puDoZBNUdqS75zcQbL3iXNfaopPkhgSGbJErfeqlr+ZQuZOs9totDTYiWOuLaehkvDP77+SHy/Zh2+crPqYgRIUhMUrP3OkjoJwl1giDTx4B+7byL2qVnnJueBwM1NDKPypnmeXUh2iJbhYFbgcKpWvkPbPT4+uMGJQCIluGcCTlrCxpUSX+dQeu8u0CGgW7XHuI1oPn3QLr0sDA2T6JTML+HWo+5XkgpZT3SEjqqbLpb1tb0ps636WFt3xffZmHNXTVpgxzwu8pL6HOfpac0RN/dps52EN1Bqe3RXT/9s5czyOUPOkWvleHOwOWyzAno4dOAczNNcDp8fNPNwJFuhXDeU5drYEeQQ75TeUzYXtbIjvDKL+mnjMlUtEkHhjjprJ6q5jx1PBtuzZPFr6KUm7VE8/WEFP4yDzQclArM1jMz+A19nxWK5X8KVzfVNNmP5lraBpeBoYY02AyNFRw+QAvvUR+/43sI/u7doH9zrO6rXyC/qxmsOCeombP3VLZlbBuBWYMHGd/4ceXtUa2E7wJpGgAfGlErxDRJbTMBHx9dAXg+1h3Mc5o/i4NEip72PNvSTwfKaSj5qMu7zzXKzjfcfdvf2+U7yMoOATTuLjTo5mRfTC6jeYuHSi+tpfOlJUVxoGp0M5sg5THhY+/tegWlSIo8SsRLc0Mu3IYjugUrYHeS+L2Its2lOPSRuwpHBtCmyrVmS0cwlCVnwuqBxvDrMiQfShlI9w++JbUyq63W7DEIOG3E4RCVBItx/NGxTAJH0gcwSRYkrFc3CYwlvMjld0eSnk4m5I4llw0QvHznM9SmST5lLlAiD9stlUmKTqhQc7dbn8+zEwPpEX/UNyYBsMJQXb9hxBoklDprsbU2Qt54cczogiXy8bzAsmRzgOJtVBW9NY3ht2rLZ1Fn0YiZveo345On5xHzVi1rMvpEtry+z2RkHNta/zxaceTw45buHzb0hNW6bP0mg80F+0DRgBnyVIeaOpoJWINJUnOWkzlkGJF21gM3Q6IEzbiIZHRR9suhrByNRmfc72x/iYG//De7yGwyfb/4tpr/PN78bYkyyAIxMsQFmzgnWqzqbVn3Zog7zvdfb73b2wFZKSC3h5uAlbQCQgZ4EWWyOfWWoKHfyDocRbyhUEE1/GwccVjccvKTeof3J212FePiIu7LBYl61kc2unm+sTq5rTQEhL2kdpHN+ObQvO1yWCg83L9YCwrseOEeNHA7vy0RiF0KWo4W25IknSb/+5c22iJ1LnNmGHFrjG9wTkFXff9qLJbAOiHz96ZdBa4/TmPjVLMEZpuRLkolxKhr130OmnSDKQR3X6nWmuomm8RYnBduVFuJLlvw6nWSWXvEBlf3ajiyczDNrurpcef5fJI6aMIMOy6Ko1QXMMywZhQTp/rFR7+y2YFEouLmTfCQ6QsVBuEhZ/h3+RaoW4eJVRFnR/iHTj2LYW+pvX1jx7ZdKtQ1hluL/OD7+O/r5wzNu8FmZXD7DpR7etPMkQ/zH4FQbCCV/B18mDOt7z90o3VvoTE+oFVoWYJeMJFz9qiM+fMSfqYCBcs5XMWRi+IM5NkTtZ6wI45YcwjR2e6OdAxXO6ouM2ODaLqBRVKk9+6FZzfRpNeDq3DGduDH/ji0Kxnybr+2XuV5KrBY7/IdDwo2dAlwiLyyuYtmDcdNMJtYNYhxtwe/zKsfOo9b+vBWfINSh9E4jviGcDPSqQpKVxP7Pfkp1AZiuI4pbzR6kRX1aib2c9LRSqaLtGEB4xeM4eDz4rcjy0MXsLdJfwhVO7VZw0MHFXAWDsz/kYm7s1iJE8Csg/M32/vbkze5n3kp6EiFTY1JDauPC5CpoCHPQb6nhZamzx7PoxFoPI7nuOIwGs+xLuPXy5WATN5xr6RreX5ryKcSR0FnGOTacOYn2oSy79SdUtH0tF2wE2JlA0bQ3uVlB34MnkALbzQbaiG9mN8JN5qgENyssItmXlJ3jbJmI9SwByf7QB/VetdJ1g5t1hvJD9LhM5yv8XSRXS+JBW/jMpz/uevncfYkHL9oPXkozztOzeXEC4QRO1bM0ADw8Pp0Ogt3mFEPDv2KDaaKgV+oS1zKbkU0q8rBkdSS91OcmlxvuRGsw8rBkbv9ShjZu1QS7u2Z2fdGnjnNhmRw3wHYYm0prYmxtvS2vnlZ6YN3nX183O3Vx2ZNNSaija/S9A7yXbMec/uke/PGaePl/0sS6FFFmUF+JrE6P/5WJOp1KxXd8msVU5ChqJ6g/TaDMVEr/V/4BJhtb1U0N03AcuTEH6pqMVjYO9NvEqMsajHlNajdI1P4bOJwu084puis+z0jsZML8ZBa+HYA/hA3Zh1dRFHtpBu6ts9Wtw12WnOjt0s9R2i/5sr/ki9CAiTrd8Uu+DA2YqBsieiM+TsCB9m4+G9/nS+f5S30umMVTnfLwarBIkxyn3sfhFkL/Itg91h2dvLr72KR7XtZSylV00DTsqAV/FMWitdXpPfXWIL8si7qYFvOGa57ME2Q1s7fOr7sL8P8XuKi7V3xNTgqRQbIymJKwWWq2Y24aptC8CbKbJvkXWOecmyoXzvbh5MHudg1JUEnIqUjlNQ9xj6pKzdo5NrQjnOmEw5fkhARDCmBHllwo9O2MNcRB05rVIrkdL52sMWU8RtNoNoURINEQL4kUNGOQwFJW2UkYm8OoJx3SW6mdXp2V6XUQbhqHAsiG5cu8yurrPmG8MRSouMsXIIGVVkZQ34V8uiwkFoxElPTemgPaiLSyb5nYf2smIzmFocCkpyPFeZ7CqsuSdV7hqP4Yc7B5pOQ25t8wTxGu6BWK0i96DZSgquvMF4qU1AntKe8uhUao2387kI6FZuYzd/DjDioGP+6+2/2ws/0ZXkupGq3rSEMN3S40DbclzOj+PqD9nb19pwtGneqmWzQ9MjbiLn4kK2TTWRvYITU116JhEBIn3/XYtXmGqJ/N93RZTM9NpuAqRS5l/qgGB0+d9swdfKxXkwqLSPftC8dBCE9gukFb6FmyWCTNw83B3wC8mjZsShkTOwy52NFdgneZTjNcygsbfhzs1eny3ecQVz1KKoihtsiSa5CszmBf5SkaGPeRrMZ5oZc9MgYc5gQkwAPEDn9mbuer01M+LsysQ4LZGVfqHPTT8mmUhDXo2qCPvmV/l4ci7BrN2ekyL5WuKpyrXs07leflxL4aKIZsQ3HQRdZYUKZuzTSXGy4t1J/ME5KzF0m+SuYTjD7Er8jG/lBXcfWbJDvXcxuRudmhqtg+YML8YA3gmB2YF0Ox1wklRkIdY/ySFSDPQf+crkpDhtyLosF2vWhJmtZFCL+TXbp2UGP7yZERTBYp4l5+HhcmcnYBcLysZGdoKL8dgnEVB8j02WYdB1zjKHLwYxaivnLetE7TgEo5+0RJnybYgYvltVAGh2ZetyrYeeZ8iHJaCS6KupjkpDn13UiHNgb2Xsq18EA27beCuKdjgZHVKU5LPwmAeh6YKzZbimwDEurAxd5IviognwXO9PkGPikunK+bQwC8MJlOV2Uyve5jhyxPr2eHvWyvh9cNNzclzIEZls+viuXG0PYh0NuEmgMREGs0DHajkY7MsXqOHncYRGdhpV+SucHetCiJHTJbbdYVE6GbaKjq0q0ZePeNfwOpgKf5NRTn9CQaJOUZKQSw4UyXKzkmfy1XIEZKC97EEc44A4kBK3MsHXF2sjT/kpVFDr4d9k1HS3sqTn5L20Em/5BzHXJu95yomiibptEkTNUre9miNuixiC5pT4f8ZPYE1/ehtkQ+entjL3QwPZxM9EjJZMLJqaesVMDP1nqzvK7PC35pGhvII1MsbKUfJ2A8elZH6jJ0L5U45+OjTS8QHJSvFhN9EXIpOyivTf3g+G9dQ+x6C7Ei4aB1E8VRy2brjNozwu4y4J1WlNgyqSors8kAB3IBLcQEcTqM2u2fwcB/1KT4gTsDCJD6HBPls1alxhTJhgzNEYes2eVWLYoL91AVn5zSg1MPILzPq9zCsmfYXYoeBXvvP/7nzmSf5MTx0Bz7yfLr4PUuPK9xY4PFO7atQugpitqjVO4ngjOqgULHoMPDRw14cTltQrpq8po7D5HciaF4SRj4kYcoonJ5CMrDB6bspE4ms4w94Z0+mCFIYyhK7bV8ZYePdBUaKOxtsE+faZNNL7l39j0BvHWmb0XiS0lsNNTX5iykpxM381eLe7eZS0f2PPJn9MYcOmDbCumIhA7Ij7yM0nKD1SGWKJEnlSXLAgdj+LnkeK9nvDSNmsz54epZdXurJSFIepOLq3WRpMuPbeQLE3R8RPdw0xPh+6GNJWJsdMy8KsYNCnz80/5E8FHe7FRsb2jfcEytDIigNRArDFFBI5hJ5cM3xgsiemKS7iKziwP80+AAewF9jJTX46OJRJQ5u24N8iK9lpuTOUhWO4C9pPK8gZoQxix68cGFqGdSm8sLntJvX7hiSI0oTalPksiMjTmkw65y2CLTmQhIwCU6DIhR8EMwVEcqA+Vj+qEBYS4YdU3SPLIDGsuR7BKGYLSONSJtQiTkYPnIoRT64z8GgXDIienRrbdAtb1mOZiVxZF69y+JJpe0SRzyPikvOJywFuM8uAM1zOqSEPxyvnIsGx7FS145TliL8nIOBhsxU4rPxSwNdFZw01FzRWZ6zXlv5Kiw1kQq6+vxPFmczJLgYhSEFwfwsV7ozZi868GwZ0TIc9oPU9E6/1tH8t/0mQO0+ZO40eBUW9wGlzeXt/Sco7BwHy+RJHoRaXEzCijsrNwIdEzZfxuYGxsbKIiUjJg9U30YOYpQptIY4Ke0b0M9ScMD6sTVTWU6UPmrX5BNyw73x9H3J08wEU+eYCG6Elw65/tkDjg7uKHLo4PHKP346CA7Gg22Tm+Dw9Xm5skw8IoQGTYltBcXBgcOq+Dhm3V/CsTe8HBue1HLPWowaJgBK9N2dt1+WPo/8ntw62/nNBmIJZJGuEuR5K3G48OcyVRHCRbAFHvz+Jn6TRfJMuSNgNuKottAG3UCM+ZFPbGaRXIVB62F1bi3+haZ47bSVWYUhC+VUiIrnMg2KDkFoDRgLSlcMVpkOFvsjOOEFlYscVvoMWx7s6KV5/9rVpnQFXaGLqk1FGv3ROT4qhNOQtJamYZpR/4GdYllKSO67+ADD7jF4bmxA8NQjw5GGz7nrWfrajBv7VQQfI6D5GqA+Q0NDwN8ZJQqL9JyfPioYOsDiHrMrAGjvyUsoIc30oJZUQSfF8w3/v051ADso5OTtL5MiRG4DQUb6Lh+fiqfaUaKcozusTDLX7EbJPPleTLeHGy9bF3LcK90YG4VXr+Dx23xgTU6T/5x6KXndEcbiy3pIpZTMPcPzoyN4CFPxZVgnlQNhLTLWgmvEFA+5gAcibePAPnaFvWV8PAbfl1n9TzFFPJgghv+04TgUnu4EDM0/XjePJ+nZ2Bv82I6hn/mMhV3SFra4CKJItjPiH37t74m8zkHKQZVluNItKbI4sPYEiBeDe7xnfc6viWnG27KHDP8Ae22pxO+ohIecR8YjJYuMNds4QZPdeGAOm1Tf36OlbRMO65PyR0oIvV3wyabY3NjoMlt+5Lkuoyz/bfus/0z07XUhSQfnEjj4XK9X1BTqUquxSK3QSma30DdhHJtKxKq2qSMW99dbX3XuvxWEveL147PvMB/cYZzBn4AykA94fBbSZomWjo2w7bGtFSFZMQAzhHWsnWFeJQNOIOrAIc63RsERqTUDl9cDV9oK7TnBxkVgDHA7+RWxvNKf57ikil1MfJX8AFcnIWBM4SlgcCgVbbZWgKAXri4lCvXz1MstBdXL/y2BPgMmHjBJQcvJfkb7f6czoN9NjzUzAQ3gbWeEgtR19myx4SvS+cF27YUrssS9pQ8PzF1rr0dev88fQglo0MfrLOW9vxgBNfe6NgmhJS6zo2f8kCidr6Dbzdac1/yKykafE8DSWggJ8AKL77HlZc4lN5w4umkbrnw2+USk6fbjEiuy8BRd2rjORKNsroHpzL9MR4Szfxiuhx5iVznBSGIJR6Ed49sw5xQkm/YlnNbpuP8XLsbJIOG8F9OXMx8z4gxwKD8fN+TJ7bDSnoIwkCVld0akfvQ74R5YzMVJZWbQsFmKdLgNCcJro21aalxnTwenLjrVeu2Z71s5PdVRuopDsE5UVKgvtC9VipmMmScVn5giZMmqXU8RQ6YdE6oiEp9X2LBu+z8LZI35n7DNLvWfvR91L4FJjB5nBil/mpt3d9uNiOmEEkPc3wMoAgrIPqNg+amFhzxA+si5oJAOXt0IzVXddTnJW4lEDr1OLLZ4Roa1sYSrE2HHTkpenEHMNcdONmTj4+jV10YRivAKUILwkQqGP9zQDMi50Tw9EWTpsfkQn3B2JSd4TKVBWaaMomWtaVutmWT974y3X7R6rbk/jRn4GBAb2UOPj4eES6u6N+YOIS78MzxpBePzV7DblvMBfZNzhS7XHL+Hn9/IB6kvLS1Yx/jAKZYEhqfTHBWsH9YJrEJgimQ5RCTr7mjSmmMo2bWEzsIqLntvG+x6b5UsWN6JiIArlZ37Mxevn/vFKydZWx1x8dLUDq2KkCZnNgr5Ccn4TKSK981LgRWONwXpAHBtmPSF417MSQDGtA0PJy9WS6gN2mCsGhsPzhdluYdMrNDfRsEHzX7ZaZkygavgA+uYWUhx9Y1zlQiKOXbI2XYbv7MV4Z00uZyBNusXpikcT5uFmyTnSFZyk2a59lpDTFAz1/NMmFmgohEq47UncQnFmVKeOykeyKS26SwtgKKg0LNZIvDUk3TOAemmZn2m2PIMjhvO3Muc9J0oTolqqMnuBGdusqsG4WzXCQJyFGKQbk5qmSLVYKsJ3Kq2N0BzYTOiNTvy8LmsF13Ayll4bwK4Ldc8c0fkj4yhEpivKLq1eSwi7Kq3YvWDQ9vBaY5nlMjDBFcXb+Iljs2cWhRbKLUuCl7IfvATTWFfcHl4JGZFaEv5Z0o90p3C8MwVWTV4oaO159YNlnv/I2Glr9yr0ZKM5dMmGeaYddIDI3UYkfYxtpjf6hevJlGHBL7lBmwIYhSNWq2oxfaLi5K9WUSqcllqA9rXxp93jt/6kJuGYk6qRb/YrboQCHcf31eT0amlrgQSBLJqoncl2WFdaIHjBm8NQ/MgIHOHhsaxB24kaTGyDR7oXVe3FXnhVfHkCHVBMGpDYLvhXg5sHvowYgvFBvFtjyfdrNEMeowXWROa0sD4Fm6qRFfeSlt4ONd4LWfOSe+QIZ1olTJDz97MehNEW8eTsBf/WLc0BGMDguSGHD3EhE/EQbH1+LMDKAgm/uWJpKH2dF2BYZ11mU06tlY5BcZ8JVIKno1BR6c41IkGPLpz5GXgMdaDRdZni1WCz3JRhouf0N4reP7mSDaNORGsPbkgz9QrKseqSV0ERFr485xmK3IDm34HU/ksAdwg2KT6f6C8fV95KLxufBLCzCJg5NYsXUXUJIGaMCEI+ld5HWvoZUXa0ZIc2vp5wgp4/zhyd0Gm5aYqEuI1fP2Mk9lAoMCaXpgaNq5DxLrukSuus5Yff9ASwsXFjBum2YazDqE970QHvjsXalTtb9j/duB0GLfnbYTTspntD8YgydG6gh9HTHWTec+O9J7GJR3VtM54ZQ+WRlG9ypnG/nEyGNBkuRxBg6JNNyK5RqTD7rNiAaTlSL786bcqwWazWxDeyqEujFUkowG2L7ZBboxjBp/6NANAzo9Je6cIVuYpgJvYWHdqPfdTCLE6SwgeyWYQcB3w6Cz6cqY2iP1hOmFh0y16AfJ7LcEgw18g4c9uaFSGBsu9CGY8/c2+43RLuTqTWxKWZ6nIlbKmbJvg/OizP4o8ppEJxYr6REn3JzyA09Hw63pFc5/fCcfMSIqpaKA6jN27+sxNrI4e5bhglAjyMLG5dsYsVkaA11ffCsDGSsyhAr0szjOwSK+Z171vDk7knCwI/RyVAcnkf+HoyOiKP8ZO3R8cjqlWSaWHxrWOZOU1y6wIf60gYE8R/cB804Z831i0ls5fWov4fJp+tHt/wCnNpnm"
import base64, json, sys, zlib  # noqa: E401
from pathlib import Path

if Path("../dcn.py").exists() and Path("mnist_lab.py").exists():
    sys.path.insert(0, "..")  # running inside the repository: use its files
else:  # opened alone (e.g. Colab): write the packed copies next to the notebook
    for name, text in json.loads(zlib.decompress(base64.b64decode(PACKED))).items():
        Path(name).write_text(text)

# %%
import json

import matplotlib.pyplot as plt
import torch
from IPython.display import Image, Markdown, display
from matplotlib.animation import FuncAnimation, PillowWriter
from mnist_lab import tqdm  # tqdm.auto, quiet when ipywidgets is absent

import dcn
import mnist_lab as lab

run = lab.settings()
WIDTH, SEED = 32, 0
UNIT = (3, 3)  # the conv5 output unit we follow: the centre of the 7x7 map, on the (centred) digit
DIGITS = 100 if run["smoke"] else 10_000  # test digits the measures average over
device = lab.pick_device()
results_dir = run["results_dir"]
results_dir.mkdir(parents=True, exist_ok=True)
clock = lab.Timer()
print(f"dcn {dcn.__version__}, torch {torch.__version__}, device {device}, smoke test: {run['smoke']}")

# %% [markdown]
# ## The models
#
# The experiment notebook saves the weights of its seed-0 runs. We use its 32-channel pair: conv4 and
# conv5 are `DeformableConv2d` in the DCNv2 model and `nn.Conv2d` in the plain one, everything else is
# the same architecture. In smoke mode, or when the file is missing, we train a pair here with the same
# recipe for one epoch (on 2,000 images in smoke mode, on all 60,000 otherwise): its offsets have had
# little time to learn, so its pictures say little.

# %%
test_images, test_labels = lab.load_mnist(run["data_dir"], train=False)
test_images, test_labels = test_images[:DIGITS], test_labels[:DIGITS]
weights_file = results_dir / "mnist_seed0.pt"
models = {}
if not run["smoke"] and weights_file.exists():
    saved = torch.load(weights_file, map_location="cpu")
    for kind in ("dcnv2", "plain"):
        models[kind] = lab.MnistNet(WIDTH, deformable=kind == "dcnv2")
        models[kind].load_state_dict(saved[f"{kind}_w{WIDTH}"])
    source = f"{weights_file} (seed {SEED}, width {WIDTH}, trained by scaled_mnist.ipynb)"
else:
    train_images, train_labels = lab.load_mnist(run["data_dir"], train=True)
    quick = 2000 if run["smoke"] else len(train_images)
    reason = "smoke test" if run["smoke"] else f"{weights_file} not found"
    for kind in ("dcnv2", "plain"):
        torch.manual_seed(SEED)
        models[kind] = lab.MnistNet(WIDTH, deformable=kind == "dcnv2")
        lab.train(models[kind], train_images[:quick], train_labels[:quick], 1, SEED, device, desc=kind)
    source = f"quick training here ({reason}): 1 epoch on {quick} training images, seed {SEED}, width {WIDTH}"
print("weights:", source)
for kind, model in models.items():
    model.to(device).eval()
    acc = lab.accuracy(model, lab.zoom(test_images, 1.0), test_labels, device)
    print(f"{kind:>5}: {acc:.2f}% on the {len(test_labels)} test digits we use, at x1.0")

# %% [markdown]
# ## From offsets to sampling points
#
# `lab.sampling_points(model, images, unit)` follows one conv5 output unit down to the input, using only
# the layers' own geometry (`DeformableConv2d.deformation` and `dcn.bilinear_sample`):
#
# 1. conv5's `deformation` gives the 9 absolute locations `a` (kernel grid + learned offsets) at which the
#    unit reads conv4's output, and their masks `m5(a)`. They are fractional, on the 7x7 grid.
# 2. conv4's output at a fractional location is the bilinear blend of its 4 neighbouring units, so we read
#    conv4's own sampling locations and masks at `a` by bilinear interpolation of its `deformation` maps.
#    The regular part of a location map is affine in the position, so this is exact inside the 7x7 map.
#    Where `a` falls outside the map, conv5 reads zeros: the point is placed on the extended grid (with the
#    offsets of the nearest border unit) and its weight fades to zero within one cell, as conv5's reading does.
# 3. This gives 9 x 9 = **81 points** in conv4's input, each with the weight `m5(a) * m4(a, b)`, the
#    modulation along its path. Two 2x max-pools separate the 7x7 grid from the 28x28 input, so a 7x7
#    coordinate `p` is the input pixel `4 p + 1.5` (pixel centres at integers; a cell covers 4x4 pixels).
#
# The plain model goes through the same code: its convs wrapped by `DeformableConv2d.from_conv` have zero
# offsets and unit masks. Its 81 points (many coincide) must be the fixed grid `13.5 + 4 (a + b)`,
# a, b in {-1, 0, 1}^2: a mean distance of 5.813 px from the centre and adjacent points 4 px apart.
# `tests/test_sampling_points.py` checks these numbers, and that known constant offsets give the
# hand-computed points exactly.

# %%
# NBVAL_CHECK_OUTPUT
centre = lab.to_input_pixels(torch.tensor(UNIT, dtype=torch.float32))
plain_grid = lab.sampling_points(models["plain"], lab.zoom(test_images[:1], 1.0).to(device), UNIT)
print(f"unit {UNIT} of conv5 is centred on input pixel {centre.tolist()}")
print(f"plain: {len(plain_grid.points[0].unique(dim=0))} distinct points of 81, "
      f"weights {plain_grid.weights.unique().tolist()}, mean distance {lab.mean_distance(plain_grid.points, centre.to(device)).item():.3f} px, "
      f"effective dilation {lab.effective_dilation(plain_grid.points).item():.3f} px")

# %% [markdown]
# ## The sampling points on the digit
#
# Each row is one test digit, zoomed x0.5, x1.0 and x1.5, with the 81 points of the DCNv2 model's centre
# unit (colour and size: the product of the two masks along the path; grey squares: conv5's own 9 points;
# cross: the unit's centre). The last column is the plain model, whose grid is the same for every input.
# The thin frame is the 28x28 image: points outside it read the zero padding.

# %%
EXAMPLES = [int((test_labels == digit).nonzero()[0]) for digit in (0, 2, 4, 7)]
SHOWN = [0.5, 1.0, 1.5]


def points_for(kind, image, scales):
    """SamplingPoints of one image (1, 28, 28) at each scale, on the CPU."""
    batch = torch.cat([lab.zoom(image[None], s) for s in scales]).to(device)
    found = lab.sampling_points(models[kind], batch, UNIT)
    return lab.SamplingPoints(*(t.cpu() for t in found))


def view_limits(*founds):
    """Axis limits showing the 28x28 image and every point of the given SamplingPoints, with a margin."""
    points = torch.cat([f.points.flatten(0, 1) for f in founds])
    return min(-2.5, points.min().item() - 2), max(29.5, points.max().item() + 2)


def draw(ax, image, scale, found, i, norm, limits):
    """The digit zoomed by ``scale`` with the i-th image's 81 points of ``found``."""
    ax.imshow(lab.zoom(image[None], scale)[0, 0] * lab.STD + lab.MEAN, cmap="gray_r", vmin=0, vmax=2.5)
    ax.add_patch(plt.Rectangle((-0.5, -0.5), 28, 28, fill=False, lw=0.6, color="0.6"))
    ax.scatter(found.conv5_points[i, :, 1], found.conv5_points[i, :, 0], s=60, marker="s", facecolor="none",
               edgecolor="0.5", lw=0.8)
    w = found.weights[i]
    dots = ax.scatter(found.points[i, :, 1], found.points[i, :, 0], c=w, s=6 + 14 * w, cmap="viridis", norm=norm,
                      edgecolor="k", lw=0.3, zorder=3)
    ax.plot(float(centre[1]), float(centre[0]), "r+", ms=9, mew=1.5, zorder=4)
    ax.set(xlim=limits, ylim=limits[::-1], xticks=[], yticks=[])
    return dots


found = {i: points_for("dcnv2", test_images[i], SHOWN) for i in EXAMPLES}
plain_found = points_for("plain", test_images[EXAMPLES[0]], [1.0])
norm = plt.Normalize(0, max(float(f.weights.max()) for f in found.values()))
limits = view_limits(plain_found, *found.values())
fig, axes = plt.subplots(len(EXAMPLES), len(SHOWN) + 1, figsize=(2.3 * (len(SHOWN) + 1) + 1, 2.3 * len(EXAMPLES) + 0.4),
                         layout="constrained")
for row, i in enumerate(EXAMPLES):
    for col, s in enumerate(SHOWN):
        dots = draw(axes[row, col], test_images[i], s, found[i], col, norm, limits)
        axes[0, col].set_title(f"DCNv2, x{s}")
    draw(axes[row, -1], test_images[i], 1.0, plain_found, 0, norm, limits)
    axes[row, 0].set_ylabel(f"test #{i} (a {int(test_labels[i])})")
axes[0, -1].set_title("plain (fixed), x1.0")
fig.colorbar(dots, ax=axes, shrink=0.4, label="modulation along the path (mask5 x mask4)")
which = "smoke-test model" if run["smoke"] else "seed-0 models"
fig.suptitle(f"The 81 sampling points of conv5's centre unit, in input pixels ({which})")
fig.savefig(results_dir / "sampling_points.png", dpi=100)
plt.show()

# %% [markdown]
# ## Does the receptive field grow with the digit?
#
# Two sizes of the 81-point pattern, in input pixels, for each of the first test digits at each scale:
#
# * **mean distance**: the mean Euclidean distance of the 81 points from the unit's centre (13.5, 13.5);
#   for the plain grid, 5.813 px;
# * **effective dilation** (the DCN paper's measure): the mean distance between adjacent sampling points
#   of conv4, i.e. the horizontally and vertically neighbouring points of each of the 9 inner 3x3 grids
#   (108 pairs); for the plain grid, 4.0 px (one 7x7 cell).
#
# Both are unweighted: they describe where the layer samples, whatever weight it then gives each point.
# A receptive field that followed the digit would grow 3x from x0.5 to x1.5.

# %%
measures = {kind: {"mean_distance_px": torch.zeros(len(lab.SCALES), DIGITS),
                   "effective_dilation_px": torch.zeros(len(lab.SCALES), DIGITS)} for kind in models}
for kind in models:
    for j, scale in enumerate(tqdm(lab.SCALES, desc=kind)):
        start = 0
        for batch in test_images.split(1000):
            found = lab.sampling_points(models[kind], lab.zoom(batch, scale).to(device), UNIT)
            stop = start + len(batch)
            measures[kind]["mean_distance_px"][j, start:stop] = lab.mean_distance(found.points, centre.to(device)).cpu()
            measures[kind]["effective_dilation_px"][j, start:stop] = lab.effective_dilation(found.points).cpu()
            start = stop
rows = ["| scale | DCNv2 mean distance | plain | DCNv2 effective dilation | plain |", "|" + " --- |" * 5]
for j, scale in enumerate(lab.SCALES):
    cells = [f"{measures[k][m][j].mean():.2f} ± {measures[k][m][j].std():.2f}"
             for m in ("mean_distance_px", "effective_dilation_px") for k in ("dcnv2", "plain")]
    rows.append(f"| x{scale} | " + " | ".join(cells) + " |")
display(Markdown("\n".join(rows) + f"\n\npixels, mean ± std over {DIGITS} test digits"))

# %% [markdown]
# `results/offsets.json` keeps, per model and scale, the mean of each measure over the digits and its
# standard deviation.

# %%
offsets = {
    "scales": lab.SCALES,
    "models": {kind: {key: [round(v, 4) for v in values.mean(dim=1).tolist()] for key, values in m.items()}
               | {f"{key}_std": [round(v, 4) for v in values.std(dim=1).tolist()] for key, values in m.items()}
               for kind, m in measures.items()},
    "config": {"digits": DIGITS, "unit": list(UNIT), "unit_centre_px": centre.tolist(), "weights": source,
               "zoom": "black_bilinear", "points": "81 = conv5's 9 locations x conv4's 9 locations read there",
               "mean_distance_px": "mean distance of the 81 points from the unit's centre, input pixels",
               "effective_dilation_px": "mean distance between adjacent conv4 points within each of the 9 groups"},
    "environment": {**lab.environment(device), "wall_time_s": round(clock(), 1)},
}
(results_dir / "offsets.json").write_text(json.dumps(offsets, indent=1))
print(f"saved {results_dir / 'offsets.json'}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for ax, key, label in zip(axes, ("mean_distance_px", "effective_dilation_px"),
                          ("mean distance from the unit's centre (px)", "effective dilation (px)")):
    for kind, colour in (("dcnv2", "C0"), ("plain", "C1")):
        mean, std = measures[kind][key].mean(dim=1), measures[kind][key].std(dim=1)
        ax.plot(lab.SCALES, mean, marker="o", color=colour, label=kind)
        ax.fill_between(lab.SCALES, mean - std, mean + std, color=colour, alpha=0.2)
    at_one = measures["dcnv2"][key][lab.SCALES.index(1.0)].mean()
    ax.plot(lab.SCALES, [at_one * s for s in lab.SCALES], "k--", lw=1, label="DCNv2 at x1.0, grown with the digit")
    ax.set(xlabel="test scale (x1.0 = as trained)", ylabel=label)
    ax.grid(alpha=0.3)
    ax.legend()
fig.suptitle(f"Size of the 81 sampling points vs digit scale: mean ± std over {DIGITS} test digits")
fig.tight_layout()
fig.savefig(results_dir / "receptive_field_vs_scale.png", dpi=120)
plt.show()

# %% [markdown]
# ## One digit, growing and shrinking
#
# The first example digit swept from x0.5 to x1.5 and back, with the DCNv2 unit's 81 points (left) and the
# plain grid (right). Saved as `results/sampling_points.gif`.

# %%
sweep = torch.linspace(0.5, 1.5, 21).tolist()
sweep = sweep + sweep[-2:0:-1]  # 0.5 -> 1.5 -> back, 40 frames
image = test_images[EXAMPLES[0]]
frames = {kind: points_for(kind, image, sweep) for kind in models}
norm = plt.Normalize(0, float(frames["dcnv2"].weights.max()))
limits = view_limits(*frames.values())
fig, axes = plt.subplots(1, 2, figsize=(5, 2.9))
fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.84, wspace=0.06)


def frame(f):
    for ax, kind in zip(axes, ("dcnv2", "plain")):
        ax.clear()
        draw(ax, image, sweep[f], frames[kind], f, norm, limits)
        ax.set_title(f"{'DCNv2' if kind == 'dcnv2' else 'plain'}, digit x{sweep[f]:.2f}", fontsize=10)
    return []


fig.suptitle("81 sampling points of conv5's centre unit (colour, size: modulation)", fontsize=9, y=0.995)
animation = FuncAnimation(fig, frame, frames=len(sweep))
gif = results_dir / "sampling_points.gif"
animation.save(gif, writer=PillowWriter(fps=5), dpi=80)
plt.close(fig)
print(f"saved {gif}: {len(sweep)} frames, {gif.stat().st_size / 1024:.0f} KB")
display(Image(filename=str(gif)))

# %% [markdown]
# ## Reading the result
#
# If the deformable layers adapted their sampling to the size of the digit, both measures would grow
# with the scale, up to 3x from x0.5 to x1.5 (the dashed lines); if they ignored it, they would stay flat
# like the plain model's. Anything in between is a partial adaptation. Two caveats: this follows one
# unit, at the centre of the digit, through the last two layers only (conv1-conv3 and the pools are
# fixed); and the measures ignore the modulation, which can also narrow the field by weighting distant
# points down (the figures show it as colour). The numbers:

# %%
def profile(kind, key):
    """Mean over the digits at each scale, as a list."""
    return measures[kind][key].mean(dim=1).tolist()


distance, dilation = profile("dcnv2", "mean_distance_px"), profile("dcnv2", "effective_dilation_px")
plain_distance = profile("plain", "mean_distance_px")[0]
peak = max(range(len(lab.SCALES)), key=lambda j: distance[j])
summary = (f"Averaged over {DIGITS} test digits, the 81 sampling points of DCNv2's centre conv5 unit lie "
           f"{distance[0]:.2f} px from its centre at x0.5, {distance[peak]:.2f} px at x{lab.SCALES[peak]} (the widest) "
           f"and {distance[-1]:.2f} px at x1.5 (the plain CNN's fixed grid: {plain_distance:.2f} px at every scale); "
           f"their effective dilation is {dilation[0]:.2f}, {dilation[peak]:.2f} and {dilation[-1]:.2f} px (plain: 4.00 px). "
           f"From x0.5 to x1.5 the digits grow 3x and the mean distance {distance[-1] / distance[0]:.2f}x.")
display(Markdown(summary))

# %% [markdown]
# **What the full run shows** (seed-0, 32-channel model, 10,000 digits): the learned grid is much wider than the
# plain one at every scale (10-14 px from the centre against 5.8 px), so DCNv2 does use its offsets to look
# further. But it does **not** grow with the digit: it is widest for digits at the training scale (x1.0) and
# narrower for both smaller and larger ones, only 1.2x wider at x1.5 than at x0.5 where the digit is 3x larger.
# The peak sits exactly at x1.0, the only scale at which the test image is not resampled, which suggests the
# offsets respond to the look of the strokes (sharp vs interpolated) as much as to the digit's size. The
# accuracy gains of the experiment notebook therefore do not come from a receptive field that scales with
# the object; a wider, content-dependent one is what this model learned.

# %%
print(f"total wall time: {clock() / 60:.1f} min on {device} ({torch.get_num_threads()} threads)")
